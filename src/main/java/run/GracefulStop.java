package run;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.ShutdownStrategy;
import org.apache.camel.support.LifecycleStrategySupport;
import org.apache.camel.support.service.ServiceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The app's stop as the runs in flight see it. Camel's graceful stop lets them finish, for up to its shutdown timeout
 * ({@code camel.main.shutdownTimeout}), before it stops any route or service; this lifecycle strategy of the context
 * makes that hold for the runs and keeps the stop within the timeout:
 * <ul>
 * <li>an endpoint that a run creates while the stop waits for it (the upload's {@code toD}, an Athena call) is started,
 * as the running context would start it: Camel starts a new endpoint only in a context that is started or starting;</li>
 * <li>shortly before the timeout passes (half of it, at most {@value #MAX_MARGIN_SECONDS} s before), the work that a run
 * waits on outside this process ends ({@link #whenTimeRunsOut}: a spark-submit job killed, an EMR cluster terminated,
 * an Athena query stopped), so that its run fails saying the app is stopping, writes its report and keeps its input
 * while the stop still ends within its timeout.</li>
 * </ul>
 */
public final class GracefulStop extends LifecycleStrategySupport {

    static final long MAX_MARGIN_SECONDS = 5;
    private static final String NAME = "gracefulStop";
    private static final Logger LOG = LoggerFactory.getLogger(GracefulStop.class);

    private final CamelContext context;
    private final List<Runnable> whenTimeRunsOut = new CopyOnWriteArrayList<>();
    private final CountDownLatch stopped = new CountDownLatch(1);

    private GracefulStop(CamelContext context) {
        this.context = context;
    }

    /** The graceful stop of {@code context}, made and added to it the first time. */
    public static GracefulStop of(CamelContext context) {
        synchronized (context) {
            GracefulStop stop = context.getRegistry().lookupByNameAndType(NAME, GracefulStop.class);
            if (stop == null) {
                stop = new GracefulStop(context);
                context.getRegistry().bind(NAME, stop);
                context.addLifecycleStrategy(stop);
            }
            return stop;
        }
    }

    /**
     * {@code endWaits} runs when the stop's time is running out with runs still in flight: it ends the work they wait
     * on outside this process, and the waits with it.
     */
    public void whenTimeRunsOut(Runnable endWaits) {
        whenTimeRunsOut.add(endWaits);
    }

    /**
     * How long before the shutdown timeout passes the waits are ended: 5 s, or half a shorter timeout. Enough for a run
     * to fail and report, and for Camel's stop (which looks every second) to see that it has ended.
     */
    static Duration margin(Duration timeout) {
        Duration half = timeout.dividedBy(2);
        return half.compareTo(Duration.ofSeconds(MAX_MARGIN_SECONDS)) < 0 ? half
                : Duration.ofSeconds(MAX_MARGIN_SECONDS);
    }

    @Override
    public void onContextStopping(CamelContext stopping) {
        ShutdownStrategy strategy = stopping.getShutdownStrategy();
        Duration timeout = Duration.ofMillis(strategy.getTimeUnit().toMillis(strategy.getTimeout()));
        Duration left = timeout.minus(margin(timeout));
        Thread timer = new Thread(() -> endWaitsAfter(left, timeout), "graceful-stop");
        timer.setDaemon(true);
        timer.start();
    }

    private void endWaitsAfter(Duration left, Duration timeout) {
        try {
            if (stopped.await(left.toNanos(), TimeUnit.NANOSECONDS)) {
                return;
            }
        } catch (InterruptedException e) {
            return;
        }
        if (context.getInflightRepository().size() > 0) {
            LOG.warn("The stop has waited {} s of its {} s (camel.main.shutdownTimeout) for the runs in progress: the "
                     + "work they wait on outside this process ends now",
                     String.format(Locale.ROOT, "%.1f", left.toMillis() / 1000.0), timeout.toSeconds());
        }
        for (Runnable endWaits : whenTimeRunsOut) {
            try {
                endWaits.run();
            } catch (RuntimeException e) {
                LOG.error("Could not end the work of a run in progress: {}", e.getMessage(), e);
            }
        }
    }

    @Override
    public void onContextStopped(CamelContext context) {
        stopped.countDown();
    }

    @Override
    public void onEndpointAdd(Endpoint endpoint) {
        if (context.isStopping()) {
            ServiceHelper.startService(endpoint);
        }
    }
}
