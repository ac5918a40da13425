package aws;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The one wait for AWS work: it returns the terminal state, throws the terminal check's failure without cancelling the
 * work, cancels the work when it gives up (timeout, the app's stop, a poll that failed), ends at once when the app
 * stops, and asks again after a throttled poll only when told to.
 */
class AwsWaitEndsAtATerminalStateATimeoutOrTheStopTest {

    private final AtomicInteger cancelled = new AtomicInteger();

    /** A wait over the states {@code seen}, one per poll, the last one repeated. */
    private AwsWait<String> waitOver(List<String> seen) {
        AtomicInteger polls = new AtomicInteger();
        return AwsWait.polling("test work", () -> seen.get(Math.min(polls.getAndIncrement(), seen.size() - 1)))
                .every(Duration.ofMillis(1))
                .until(state -> {
                    if (state.equals("FAILED")) {
                        throw new IllegalStateException("the work FAILED");
                    }
                    return state.equals("DONE");
                })
                .cancelling(cancelled::incrementAndGet);
    }

    @Test
    void returnsTheTerminalState() throws Exception {
        assertEquals("DONE", waitOver(List.of("STARTING", "RUNNING", "DONE")).await());
        assertEquals(0, cancelled.get());
    }

    @Test
    void aFailureStateThrowsAndCancelsNothing() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> waitOver(List.of("RUNNING", "FAILED")).await());
        assertEquals("the work FAILED", e.getMessage());
        assertEquals(0, cancelled.get(), "the work has ended by itself");
    }

    @Test
    void theTimeoutThrowsWithTheLastStateAndCancels() {
        IllegalStateException timedOut = new IllegalStateException("timed out");
        AwsWait<String> wait = waitOver(List.of("RUNNING")).atMost(Duration.ofMillis(50), last -> {
            assertEquals("RUNNING", last);
            return timedOut;
        });
        assertSame(timedOut, assertThrows(IllegalStateException.class, wait::await));
        assertEquals(1, cancelled.get());
    }

    @Test
    void theStopEndsTheWaitAtOnceAndCancels() throws Exception {
        StopSignal stop = new StopSignal();
        IllegalStateException stopped = new IllegalStateException("stopped");
        // an interval and a timeout far longer than the test's own limit: only the stop can end this wait
        AwsWait<String> wait = waitOver(List.of("RUNNING")).every(Duration.ofHours(1))
                .atMost(Duration.ofHours(2), last -> new IllegalStateException("timed out"))
                .stoppedBy(stop, last -> stopped);
        CompletableFuture<String> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return wait.await();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        stop.stop();
        ExecutionException e = assertThrows(ExecutionException.class, () -> waiting.get(60, TimeUnit.SECONDS));
        assertSame(stopped, e.getCause().getCause(), "what the wait threw, wrapped by the test's own thread");
        assertEquals(1, cancelled.get());
    }

    @Test
    void aThrottledPollIsAskedAgainOnlyWhenToldTo() throws Exception {
        AtomicInteger polls = new AtomicInteger();
        AwsWait.Poll<String> throttledOnce = () -> {
            if (polls.getAndIncrement() == 0) {
                throw AwsServiceException.builder().statusCode(503).message("slow down").build();
            }
            return "DONE";
        };
        assertInstanceOf(AwsServiceException.class, assertThrows(Exception.class,
                () -> AwsWait.polling("test work", throttledOnce).until("DONE"::equals)
                        .cancelling(cancelled::incrementAndGet).await()));
        assertEquals(1, cancelled.get(), "a poll that failed gives the work up");

        polls.set(0);
        assertEquals("DONE", AwsWait.polling("test work", throttledOnce).every(Duration.ofMillis(1))
                .until("DONE"::equals).askingAgainOnTransientErrors().await());
        assertEquals(2, polls.get());
    }
}
