package run;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import core.Pipeline;
import org.apache.camel.Exchange;
import org.apache.camel.support.SynchronizationAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run at a time on the table: runs from every trigger (poll, inbox, one-shot) take their turn in arrival order,
 * and none starts its convert, upload or load while another is in progress. The turn is given back when the run's
 * exchange completes, after its report is written and its input moved. A run still waiting when the app stops does
 * not start: its input stays where it is, to be picked up again.
 */
public final class RunQueue {

    private static final Logger LOG = LoggerFactory.getLogger(RunQueue.class);

    private final String table;
    private final Semaphore turn = new Semaphore(1, true);

    public RunQueue(String table) {
        this.table = table;
    }

    public void enter(Exchange exchange) throws InterruptedException {
        PipelineRun run = exchange.getProperty(Pipeline.RUN, PipelineRun.class);
        // a timed tryAcquire keeps the arrival order, an untimed one would barge ahead of the runs waiting
        if (!turn.tryAcquire(0, TimeUnit.SECONDS)) {
            LOG.info("run {} ({} {}) waits for the run in progress on table {}", run.getRunId(), run.getTrigger(),
                    run.getSource(), table);
            while (!turn.tryAcquire(1, TimeUnit.SECONDS)) {
                if (exchange.getContext().isStopping()) {
                    LOG.info("run {} not started: the app is stopping; its input is left for the next start",
                            run.getRunId());
                    exchange.setRouteStop(true);
                    return;
                }
            }
        }
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                turn.release();
            }
        });
    }
}
