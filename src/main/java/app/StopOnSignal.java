package app;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.camel.main.Main;
import org.apache.camel.main.SimpleMainShutdownStrategy;
import org.apache.camel.spi.ShutdownStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGTERM, SIGINT (Ctrl-C) and SIGHUP (the terminal closed) stop the app as its own completion does: Camel Main stops
 * the context, whose graceful stop lets the runs in flight finish (up to {@code camel.main.shutdownTimeout}), and
 * {@link Application} then exits with the app's exit code. Left to the JVM, a signal starts every shutdown hook at
 * once, Camel's among them: the libraries' own hooks (Iceberg's worker pool, Hadoop's file systems) closed what the run
 * in progress was using, and the exit code was 143 whatever the run's outcome. Those hooks now run at the exit, after
 * the stop. A second signal exits at once, as the JVM would; a stop that does not end within the timeout and Camel's
 * extra time ({@code camel.main.extraShutdownTimeout}) ends the process too. A signal ignored when the JVM started
 * ({@code nohup}: SIGHUP) stays ignored.
 */
final class StopOnSignal {

    private static final Logger LOG = LoggerFactory.getLogger(StopOnSignal.class);

    private final Main main;
    private final AtomicBoolean stopping = new AtomicBoolean();

    private StopOnSignal(Main main) {
        this.main = main;
    }

    /** Handles SIGTERM, SIGINT and SIGHUP for {@code main} from now on; one the JVM keeps for itself is left to it. */
    static void install(Main main) {
        StopOnSignal stop = new StopOnSignal(main);
        boolean everyOne = true;
        for (String name : List.of("TERM", "INT", "HUP")) {
            try {
                Signal signal = new Signal(name);
                SignalHandler[] jvms = new SignalHandler[1];
                jvms[0] = Signal.handle(signal, received -> stop.received(received, jvms[0]));
            } catch (IllegalArgumentException e) {
                // the JVM uses it itself (-Xrs): Camel Main's shutdown hook stops the app then
                LOG.debug("SIG{} left to the JVM: {}", name, e.getMessage());
                everyOne = false;
            }
        }
        if (everyOne) {
            // Camel's own strategy adds a JVM shutdown hook (even when told not to) that would only run at the app's
            // own exit, and log it as "triggered by SIGTERM"; the simple one is the same stop without the hook
            main.setShutdownStrategy(new SimpleMainShutdownStrategy());
        }
    }

    private void received(Signal signal, SignalHandler jvms) {
        if (!stopping.compareAndSet(false, true)) {
            LOG.warn("SIG{} again: exiting now", signal.getName());
            jvms.handle(signal);
            return;
        }
        Duration limit = limit();
        LOG.info("SIG{}: stopping; the run in progress may finish first (camel.main.shutdownTimeout), a second"
                 + " signal exits at once", signal.getName());
        Thread watchdog = new Thread(() -> exitIfStillStoppingAfter(limit), "stop-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        main.completed();
    }

    /** The shutdown timeout and Camel Main's extra time after it. */
    private Duration limit() {
        Duration extra = Duration.ofSeconds(main.configure().getExtraShutdownTimeout());
        if (main.getCamelContext() == null) {
            return extra;
        }
        ShutdownStrategy strategy = main.getCamelContext().getShutdownStrategy();
        return extra.plusMillis(strategy.getTimeUnit().toMillis(strategy.getTimeout()));
    }

    private static void exitIfStillStoppingAfter(Duration limit) {
        try {
            Thread.sleep(limit.toMillis());
        } catch (InterruptedException e) {
            return;
        }
        LOG.error("The app has not stopped within {} s: exiting", limit.toSeconds());
        System.exit(1);
    }
}
