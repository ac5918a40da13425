package app;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import core.Pipeline;
import org.apache.camel.Exchange;
import run.PipelineRun;
import run.RunStatus;

/**
 * Ends a one-shot process ({@code pipeline.once}, or {@code pipeline.dataset.<name>.once} for several datasets): the
 * datasets' runs go one after another, in the order of {@code pipeline.datasets}, so that a later dataset's query may
 * join the tables loaded before it. Once every expected run has ended, it asks the application to stop. The exit code
 * is 0 when every run SUCCEEDED or was SKIPPED, 1 when one FAILED, and {@value #QUERY_FAILED} when every run loaded
 * what it had to but a query failed after its commit (the run SUCCEEDED, its report's {@code query.status} is FAILED).
 */
public final class OneShotCompletion {

    /** Exit code of a one-shot whose loads are committed but whose query failed. */
    public static final int QUERY_FAILED = 3;

    private final Runnable stopApplication;
    private final List<String> expected = new ArrayList<>();
    private final Set<String> finished = new HashSet<>();
    private boolean failed;
    private boolean queryFailed;

    public OneShotCompletion(Runnable stopApplication) {
        this.stopApplication = stopApplication;
    }

    /** The one-shot run of {@code dataset} is configured: until it ends well, the exit code says failure. */
    public synchronized void expectRun(String dataset) {
        expected.add(dataset);
    }

    /**
     * Waits until the one-shot runs of the datasets listed before the exchange's ({@link Pipeline#DATASET}) have
     * ended; false when the app stops first (the run then does not start).
     */
    public synchronized boolean awaitTurn(Exchange exchange) throws InterruptedException {
        String dataset = exchange.getProperty(Pipeline.DATASET, String.class);
        while (!finished.containsAll(expected.subList(0, Math.max(0, expected.indexOf(dataset))))) {
            if (exchange.getContext().isStopping()) {
                return false;
            }
            wait(1000);
        }
        return true;
    }

    public void finish(Exchange exchange) {
        PipelineRun run = exchange.getProperty(Pipeline.RUN, PipelineRun.class);
        boolean ok = run != null && (run.getStatus() == RunStatus.SUCCEEDED || run.getStatus() == RunStatus.SKIPPED);
        boolean queryOk = run == null || run.getQuery() == null || run.getQuery().status() != RunStatus.FAILED;
        boolean last;
        synchronized (this) {
            failed |= !ok;
            queryFailed |= !queryOk;
            finished.add(run != null ? run.getDataset() : "");
            last = finished.containsAll(expected);
            notifyAll();
        }
        if (last) {
            stopApplication.run();
        }
    }

    public synchronized int exitCode() {
        if (failed || !finished.containsAll(expected)) {
            return 1;
        }
        return queryFailed ? QUERY_FAILED : 0;
    }
}
