package app;

import org.apache.camel.CamelContext;
import org.apache.camel.Service;
import org.apache.camel.StartupStep;
import org.apache.camel.spi.StartupStepRecorder;
import org.apache.camel.support.service.ServiceSupport;
import run.GracefulStop;

/**
 * The app's start-up work, step by step in the order {@link PipelineBeans} lists it. Each step is a named Camel
 * {@link Service}: started at once, while the app is configured (so that what a step begins on a thread of its own,
 * the embedded S3 server, a one-shot input's SHA-256, overlaps the building of the routes), and stopped by the
 * context when it stops, in the reverse order, once the runs in flight have ended (or the stop's time has run out:
 * {@link #whenStopTimeRunsOut}). Each is recorded as a start-up step of Camel's own
 * ({@code camel.main.startupRecorder=logging} lists them with their times).
 */
final class StartupSteps {

    private final CamelContext context;
    private final StartupStepRecorder recorder;

    StartupSteps(CamelContext context) {
        this.context = context;
        this.recorder = context.getCamelContextExtension().getStartupStepRecorder();
    }

    /** Starts {@code step} now, after the steps before it; the context stops it before the steps before it. */
    void run(String name, Service step) throws Exception {
        StartupStep recorded = recorder.beginStep(step.getClass(), name, "pipeline start-up step");
        try {
            step.start();
        } finally {
            recorder.endStep(recorded);
        }
        // only once started: a step that failed is not stopped
        context.addService(step, true, true);
    }

    /**
     * {@code endWaits} runs when the app's stop, having waited for the runs in flight, is about to pass its timeout
     * ({@link GracefulStop}): a run waiting on work outside this process (a spark-submit job, an EMR step) ends then,
     * instead of holding the stop up past it.
     */
    void whenStopTimeRunsOut(Runnable endWaits) {
        GracefulStop.of(context).whenTimeRunsOut(endWaits);
    }

    /** A step whose work begins at start-up (on a thread of its own) and needs no stop. */
    void run(String name, Runnable begin) throws Exception {
        run(name, new ServiceSupport() {
            @Override
            protected void doStart() {
                begin.run();
            }

            @Override
            public String toString() {
                return name;
            }
        });
    }
}
