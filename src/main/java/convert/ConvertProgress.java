package convert;

import java.time.Duration;
import java.util.Locale;
import java.util.function.LongSupplier;

import core.ParseProgress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells how far a long conversion got: records and CSV bytes parsed so far and the rate, and, for a compressed input,
 * how much of the file as stored has been read, logged at most once per {@link #INTERVAL}, so an input converted in
 * less time logs nothing; and, batch by batch, to the run's {@link ParseProgress}, which the web UI shows.
 */
final class ConvertProgress {

    static final Duration INTERVAL = Duration.ofSeconds(10);
    private static final Logger LOG = LoggerFactory.getLogger(ParquetWriterProcessor.class);

    private final String input;
    /** The compressed file read, whose progress the line adds; null for a plain one. */
    private final CsvBytes compressed;
    private final LongSupplier nanoTime;
    private final long startedAt;
    private long nextReportAt;
    private long records;
    private long bytes;
    private final ParseProgress shown;

    ConvertProgress(String input, CsvBytes csv, ParseProgress shown) {
        this(input, csv, System::nanoTime, shown);
    }

    ConvertProgress(String input, LongSupplier nanoTime) {
        this(input, null, nanoTime, new ParseProgress(-1, 1));
    }

    ConvertProgress(String input, CsvBytes csv, LongSupplier nanoTime, ParseProgress shown) {
        this.input = input;
        this.compressed = csv != null && csv.compression() != CsvBytes.Compression.NONE ? csv : null;
        this.nanoTime = nanoTime;
        this.shown = shown;
        this.startedAt = nanoTime.getAsLong();
        this.nextReportAt = startedAt + INTERVAL.toNanos();
    }

    /** A batch was converted; returns the line logged, or null when the last one is less than the interval old. */
    String batchDone(long batchRecords, long batchBytes) {
        records += batchRecords;
        bytes += batchBytes;
        // of the file as stored: a compressed file's size is not its CSV's
        shown.advance(records, compressed != null ? compressed.storedBytesRead() : bytes);
        long now = nanoTime.getAsLong();
        if (now < nextReportAt) {
            return null;
        }
        nextReportAt = now + INTERVAL.toNanos();
        double seconds = (now - startedAt) / 1e9;
        String line = String.format(Locale.ROOT, "converting %s: %,d records, %.1f MB parsed in %.0f s (%.1f MB/s)",
                input, records, bytes / 1e6, seconds, bytes / 1e6 / seconds);
        if (compressed != null) {
            long read = compressed.storedBytesRead();
            long size = Math.max(1, compressed.storedSize());
            line += String.format(Locale.ROOT, ", %.1f of %.1f MB of the %s file read (%d%%)", read / 1e6, size / 1e6,
                    compressed.compression().describe(), Math.min(100, read * 100 / size));
        }
        LOG.info(line);
        return line;
    }
}
