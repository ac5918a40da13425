package convert;

import java.time.Duration;
import java.util.Locale;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells how far a long conversion got: records and CSV bytes parsed so far and the rate, logged at most once per
 * {@link #INTERVAL}, so an input converted in less time logs nothing.
 */
final class ConvertProgress {

    static final Duration INTERVAL = Duration.ofSeconds(10);
    private static final Logger LOG = LoggerFactory.getLogger(ParquetWriterProcessor.class);

    private final String input;
    private final LongSupplier nanoTime;
    private final long startedAt;
    private long nextReportAt;
    private long records;
    private long bytes;

    ConvertProgress(String input) {
        this(input, System::nanoTime);
    }

    ConvertProgress(String input, LongSupplier nanoTime) {
        this.input = input;
        this.nanoTime = nanoTime;
        this.startedAt = nanoTime.getAsLong();
        this.nextReportAt = startedAt + INTERVAL.toNanos();
    }

    /** A batch was converted; returns the line logged, or null when the last one is less than the interval old. */
    String batchDone(long batchRecords, long batchBytes) {
        records += batchRecords;
        bytes += batchBytes;
        long now = nanoTime.getAsLong();
        if (now < nextReportAt) {
            return null;
        }
        nextReportAt = now + INTERVAL.toNanos();
        double seconds = (now - startedAt) / 1e9;
        String line = String.format(Locale.ROOT, "converting %s: %,d records, %.1f MB parsed in %.0f s (%.1f MB/s)",
                input, records, bytes / 1e6, seconds, bytes / 1e6 / seconds);
        LOG.info(line);
        return line;
    }
}
