package convert;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * A conversion tells its progress (records, MB parsed, rate) once it has taken 10 s, then at most every 10 s; a
 * shorter one tells nothing. The clock is the test's, so nothing here waits.
 */
class LongConversionLogsProgressTest {

    private final AtomicLong now = new AtomicLong(TimeUnit.SECONDS.toNanos(1000));

    @Test
    void logsAtMostEveryTenSecondsWithTheTotalsSoFar() {
        ConvertProgress progress = new ConvertProgress("big.csv", now::get);
        List<String> lines = new ArrayList<>();
        // one batch of 50,000 records and 4 MB every second, for 25 seconds
        for (int second = 1; second <= 25; second++) {
            now.addAndGet(TimeUnit.SECONDS.toNanos(1));
            String line = progress.batchDone(50_000, 4_000_000);
            if (line != null) {
                lines.add(line);
            }
        }
        assertEquals(List.of(
                "converting big.csv: 500,000 records, 40.0 MB parsed in 10 s (4.0 MB/s)",
                "converting big.csv: 1,000,000 records, 80.0 MB parsed in 20 s (4.0 MB/s)"), lines);
    }

    @Test
    void aShortConversionLogsNothing() {
        ConvertProgress progress = new ConvertProgress("small.csv", now::get);
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(9_999));
        assertNull(progress.batchDone(20, 900));
    }
}
