package core;

import java.util.Map;

import org.slf4j.MDC;

/**
 * The run a log line belongs to: its dataset and run id in SLF4J's MDC ({@code dataset}, {@code runId}), put there
 * when the run starts on its thread, carried to the threads the run hands work to, and removed when the run ends.
 * Two runs side by side ({@code pipeline.maxConcurrentRuns}) are told apart in the log by them.
 */
public final class RunLogContext {

    public static final String DATASET = "dataset";
    public static final String RUN_ID = "runId";

    private RunLogContext() {
    }

    /** From now on, this thread's lines belong to run {@code runId} of {@code dataset}. */
    public static void begin(String dataset, String runId) {
        MDC.put(DATASET, dataset);
        MDC.put(RUN_ID, runId);
    }

    /** This thread's lines belong to no run any more. */
    public static void end() {
        MDC.remove(DATASET);
        MDC.remove(RUN_ID);
    }

    /**
     * {@code task}, to run on another thread with the run context of the thread calling this (if any), which it
     * leaves again when it returns.
     */
    public static Runnable carried(Runnable task) {
        Map<String, String> context = MDC.getCopyOfContextMap();
        if (context == null || context.isEmpty()) {
            return task;
        }
        return () -> {
            MDC.setContextMap(context);
            try {
                task.run();
            } finally {
                MDC.clear();
            }
        };
    }
}
