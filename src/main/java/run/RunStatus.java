package run;

/** How a run ended. */
public enum RunStatus { RUNNING, SUCCEEDED, FAILED, SKIPPED }
