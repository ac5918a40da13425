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
 * and none starts its convert, upload or load while another is in progress. Runs on different tables go side by side,
 * as many as the process's run slots ({@code pipeline.maxConcurrentRuns}) allow; a run takes its table's turn first,
 * so it never holds a slot while it waits for its table. Turn and slot are given back when the run's exchange
 * completes, after its report is written and its input moved. A run still waiting when the app stops does not start,
 * nor does one whose turn comes during the stop (the stop lets only the runs in progress finish): its input stays where
 * it is, to be picked up again. The table's scheduled maintenance takes its turn the same way.
 */
public final class RunQueue {

    private static final Logger LOG = LoggerFactory.getLogger(RunQueue.class);

    private final String table;
    private final Semaphore turn = new Semaphore(1, true);
    private final Semaphore runSlots;

    /** The queue of a table in a process that runs one run at a time. */
    public RunQueue(String table) {
        this(table, new Semaphore(1, true));
    }

    /** The queue of a table, sharing {@code runSlots} (a fair semaphore) with the queues of the other tables. */
    public RunQueue(String table, Semaphore runSlots) {
        this.table = table;
        this.runSlots = runSlots;
    }

    public void enter(Exchange exchange) throws InterruptedException {
        PipelineRun run = exchange.getProperty(Pipeline.RUN, PipelineRun.class);
        enter(exchange, "run " + run.getRunId() + " (" + run.getTrigger() + " " + run.getSource() + " of "
                        + run.getDataset() + ")", "its input is left for the next start");
    }

    /**
     * The table's maintenance (compaction, snapshot expiry, orphan files) takes its turn as a run does: it never
     * overlaps a run's load of the table, nor a run its maintenance.
     */
    public void enterMaintenance(Exchange exchange) throws InterruptedException {
        enter(exchange, "the maintenance of " + table, "it runs at its next time");
    }

    private void enter(Exchange exchange, String who, String leftFor) throws InterruptedException {
        if (!await(turn, exchange, who, "the run in progress on table " + table, leftFor)) {
            return;
        }
        if (!await(runSlots, exchange, who, "a free run slot (pipeline.maxConcurrentRuns)", leftFor)) {
            turn.release();
            return;
        }
        if (exchange.getContext().isStopping()) {
            // its turn came as the stop began (the run before it ended then): it stays queued all the same
            runSlots.release();
            turn.release();
            notStarted(exchange, who, leftFor);
            return;
        }
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                runSlots.release();
                turn.release();
            }
        });
    }

    private static void notStarted(Exchange exchange, String who, String leftFor) {
        LOG.info("{} not started: the app is stopping; {}", who, leftFor);
        exchange.setRouteStop(true);
    }

    private static boolean await(Semaphore semaphore, Exchange exchange, String who, String what, String leftFor)
            throws InterruptedException {
        // a timed tryAcquire keeps the arrival order, an untimed one would barge ahead of the runs waiting
        if (semaphore.tryAcquire(0, TimeUnit.SECONDS)) {
            return true;
        }
        LOG.info("{} waits for {}", who, what);
        while (!semaphore.tryAcquire(1, TimeUnit.SECONDS)) {
            if (exchange.getContext().isStopping()) {
                notStarted(exchange, who, leftFor);
                return false;
            }
        }
        return true;
    }
}
