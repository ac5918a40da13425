package source;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A source whose runs keep failing for the infrastructure's sake is polled again after the poll interval, then after
 * twice, four times as long..., at most an hour; a settled run (or a poll that finds the content unchanged) ends the
 * backoff. Pure logic, on a clock the test moves.
 */
class FailingSourceBacksOffTest {

    private static final String URL = "http://127.0.0.1:1/products.csv";

    @TempDir
    Path dir;

    @Test
    void theWaitDoublesThenEndsWhenARunSettles() throws Exception {
        AtomicLong now = new AtomicLong();
        HttpSourceMemory memory = new HttpSourceMemory(dir, Duration.ofMinutes(5), now::get);
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            Exchange poll = new DefaultExchange(context);
            poll.getIn().setHeader(Exchange.HTTP_URI, URL);
            assertTrue(memory.isDue(poll), "a source never failed is due");

            memory.failedForNow(poll);
            memory.failedForNow(poll);
            memory.failedForNow(poll);
            now.addAndGet(Duration.ofMinutes(19).toNanos());
            assertFalse(memory.isDue(poll), "third failure in a row: 20 minutes");
            now.addAndGet(Duration.ofMinutes(1).toNanos());
            assertTrue(memory.isDue(poll));

            memory.contentSettled(poll);
            memory.failedForNow(poll);
            now.addAndGet(Duration.ofMinutes(5).toNanos());
            assertTrue(memory.isDue(poll), "after a settled run, the first failure waits one interval again");
        }
        assertEquals(Duration.ofMinutes(5), memory.backoff(1));
        assertEquals(Duration.ofMinutes(40), memory.backoff(4));
        assertEquals(Duration.ofHours(1), memory.backoff(40), "at most an hour");
        assertEquals(Duration.ofHours(2), new HttpSourceMemory(dir, Duration.ofHours(2)).backoff(3),
                "a poll interval over an hour is the most");
    }
}
