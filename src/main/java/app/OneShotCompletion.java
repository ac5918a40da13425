package app;

import core.Pipeline;
import org.apache.camel.Exchange;
import run.PipelineRun;
import run.RunStatus;

/**
 * Ends a one-shot run ({@code pipeline.once}): remembers the exit code (0 for SUCCEEDED or SKIPPED, 1 otherwise) and
 * asks the application to stop.
 */
public final class OneShotCompletion {

    private final Runnable stopApplication;
    private volatile int exitCode;

    public OneShotCompletion(Runnable stopApplication) {
        this.stopApplication = stopApplication;
    }

    /** A one-shot run is configured: until it ends well, the exit code says failure. */
    public void expectRun() {
        exitCode = 1;
    }

    public void finish(Exchange exchange) {
        PipelineRun run = exchange.getProperty(Pipeline.RUN, PipelineRun.class);
        boolean ok = run != null && (run.getStatus() == RunStatus.SUCCEEDED || run.getStatus() == RunStatus.SKIPPED);
        exitCode = ok ? 0 : 1;
        stopApplication.run();
    }

    public int exitCode() {
        return exitCode;
    }
}
