package source;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The S3 source polls at once until a listing ends its pass over the prefix, then not before a poll interval. */
class S3PassesComeAPollIntervalApartTest {

    @Test
    void aPassBeginsAPollIntervalAfterTheLastEnded() {
        AtomicLong now = new AtomicLong(1_000);
        S3PrefixPasses passes = new S3PrefixPasses(Duration.ofSeconds(30), now::get);

        assertTrue(passes.begin(null, null), "the first pass begins at once");
        assertTrue(passes.begin(null, null), "and goes on while listings are truncated");
        passes.passEnded();
        assertFalse(passes.begin(null, null));
        now.addAndGet(Duration.ofSeconds(30).toNanos() - 1);
        assertFalse(passes.begin(null, null));
        now.addAndGet(1);
        assertTrue(passes.begin(null, null), "a poll interval after the pass ended");
        assertTrue(passes.begin(null, null), "the pass goes on until its listing ends");
    }
}
