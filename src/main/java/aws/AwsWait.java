package aws;

import java.time.Duration;
import java.util.function.Function;
import java.util.function.Predicate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way the app waits for work it started at AWS, an EMR step or an Athena query alike: call, then poll until a
 * terminal state. Polls every interval (less when the deadline is nearer), logs each state change with the elapsed
 * time and, while the state stays the same, a line every minute; ends at a terminal state (the terminal check throws
 * on a failure state), when the timeout passes, or when the app stops ({@link StopSignal}, which wakes the wait at
 * once; work that the stop itself ended is reported as stopped, not as failed). A wait that gives up (timeout, stop, a
 * poll that failed) cancels the work, so that it is not left to run, and bill, with nobody waiting for it. A throttled
 * or failing poll (throttling, 5xx, I/O) may be asked again with a growing pause, for work that a throw would end
 * while it still runs.
 *
 * @param <S> what one poll sees
 */
public final class AwsWait<S> {

    /** One look at the work's state. */
    @FunctionalInterface
    public interface Poll<S> {
        S poll() throws Exception;
    }

    /** How often a state that does not change is logged again. */
    static final Duration PROGRESS_EVERY = Duration.ofMinutes(1);

    private static final Logger LOG = LoggerFactory.getLogger(AwsWait.class);

    private final String what;
    private final Poll<S> poll;
    private Duration interval = Duration.ofSeconds(1);
    private Duration timeout = Duration.ofHours(1);
    private Function<S, RuntimeException> timedOut;
    private Predicate<S> ended = state -> true;
    private Function<S, String> describe = String::valueOf;
    private String where = "";
    private StopSignal stop = new StopSignal();
    private Function<S, RuntimeException> stopped;
    private Runnable cancel = () -> { };
    private boolean askAgain;
    private long since = System.nanoTime();

    private AwsWait(String what, Poll<S> poll) {
        this.what = what;
        this.poll = poll;
        this.timedOut = last -> new IllegalStateException(what + " did not end within " + timeout);
        this.stopped = last -> new IllegalStateException(what + ": the wait stopped, the app is stopping");
    }

    /** A wait for {@code what} (as the log names it: "EMR step s-1 on cluster j-1"), polled by {@code poll}. */
    public static <S> AwsWait<S> polling(String what, Poll<S> poll) {
        return new AwsWait<>(what, poll);
    }

    /** The pause between two polls. */
    public AwsWait<S> every(Duration interval) {
        this.interval = interval;
        return this;
    }

    /** How long the wait lasts, from its start, and what it throws then (given the last state seen, or null). */
    public AwsWait<S> atMost(Duration timeout, Function<S, RuntimeException> timedOut) {
        this.timeout = timeout;
        this.timedOut = timedOut;
        return this;
    }

    /** The terminal check: true when the work has ended; it throws for a failure state. */
    public AwsWait<S> until(Predicate<S> ended) {
        this.ended = ended;
        return this;
    }

    /** The state as the log says it ({@code "EMR step s-1 is RUNNING on cluster j-1 (WAITING)"}), and a suffix. */
    public AwsWait<S> logging(Function<S, String> describe, String where) {
        this.describe = describe;
        this.where = where;
        return this;
    }

    /** The elapsed time the log gives counts from {@code nanoTime} (the work's first call), not from the wait. */
    public AwsWait<S> since(long nanoTime) {
        this.since = nanoTime;
        return this;
    }

    /** The app's stop ends the wait at once, with what {@code stopped} makes of the last state (or null). */
    public AwsWait<S> stoppedBy(StopSignal stop, Function<S, RuntimeException> stopped) {
        this.stop = stop;
        this.stopped = stopped;
        return this;
    }

    /** What ends the work when the wait gives up on it: a timeout, the app's stop, a poll that failed. */
    public AwsWait<S> cancelling(Runnable cancel) {
        this.cancel = cancel;
        return this;
    }

    /** A poll that fails for a while (throttling, 5xx, I/O) is asked again, with a growing pause, until the timeout. */
    public AwsWait<S> askingAgainOnTransientErrors() {
        this.askAgain = true;
        return this;
    }

    /** Waits for a terminal state and returns it. */
    public S await() throws Exception {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        String lastLogged = null;
        long loggedAt = start;
        S last = null;
        int failedPolls = 0;
        boolean terminal = false;
        try {
            while (true) {
                if (stop.isStopped()) {
                    throw stopped.apply(last);
                }
                S state;
                try {
                    state = poll.poll();
                    failedPolls = 0;
                } catch (Exception e) {
                    if (stop.isStopped()) {
                        throw stopped.apply(last); // a client closed by the stop, or a call it cut short
                    }
                    if (!askAgain || !AwsErrors.isTransient(e) || System.nanoTime() - deadline >= 0) {
                        throw e;
                    }
                    failedPolls++;
                    Duration pause = backoff(interval, failedPolls);
                    LOG.warn("Asking about {} failed ({} time(s) in a row), asking again in {} ms: {}", what,
                             failedPolls, pause.toMillis(), e.getMessage());
                    stop.await(Math.min(pause.toNanos(), deadline - System.nanoTime() + 1_000_000));
                    continue;
                }
                last = state;
                long now = System.nanoTime();
                String described = describe.apply(state);
                if (!described.equals(lastLogged) || now - loggedAt >= PROGRESS_EVERY.toNanos()) {
                    LOG.info("{} after {} s{}", described, Duration.ofNanos(now - since).toSeconds(), where);
                    lastLogged = described;
                    loggedAt = now;
                }
                try {
                    if (ended.test(state)) {
                        terminal = true;
                        return state;
                    }
                } catch (RuntimeException failed) {
                    if (stop.isStopped()) {
                        throw stopped.apply(state); // a step cancelled, or a cluster terminated, by the stop
                    }
                    terminal = true;
                    throw failed;
                }
                if (stop.isStopped()) {
                    throw stopped.apply(state);
                }
                if (now - deadline >= 0) {
                    throw timedOut.apply(state);
                }
                if (stop.await(Math.min(interval.toNanos(), deadline - now))) {
                    throw stopped.apply(last);
                }
            }
        } finally {
            if (!terminal) {
                cancel.run();
            }
        }
    }

    /** The interval, doubled for each failure in a row, at most 16 intervals or 5 minutes, whichever is longer. */
    static Duration backoff(Duration interval, int failedPolls) {
        Duration max = interval.multipliedBy(16).compareTo(Duration.ofMinutes(5)) > 0 ? interval.multipliedBy(16)
                : Duration.ofMinutes(5);
        Duration pause = interval.multipliedBy(1L << Math.min(failedPolls - 1, 16));
        return pause.compareTo(max) > 0 ? max : pause;
    }
}
