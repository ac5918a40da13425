package convert;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * The rejected rows, as a CSV with the columns {@code line,reason,original}; {@code original} is the record printed
 * again with the input's delimiter and quote. The file is only created by the first rejected row.
 */
final class RejectsFile implements Closeable {

    private static final CSVFormat REJECTS = CSVFormat.DEFAULT.builder().setRecordSeparator('\n').get();

    private final Path path;
    private final CSVFormat original;
    private CSVPrinter printer;
    private long count;

    RejectsFile(Path path, CSVFormat original) {
        this.path = path;
        this.original = original.builder().setRecordSeparator('\n').get();
    }

    void add(long line, String reason, String[] values) {
        try {
            if (printer == null) {
                printer = new CSVPrinter(Files.newBufferedWriter(path, StandardCharsets.UTF_8), REJECTS);
                printer.printRecord("line", "reason", "original");
            }
            printer.printRecord(line, reason, original.format((Object[]) values));
            count++;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the rejects file " + path, e);
        }
    }

    long count() {
        return count;
    }

    /** The file, or {@code null} when nothing was rejected. */
    Path pathIfWritten() {
        return printer == null ? null : path;
    }

    @Override
    public void close() throws IOException {
        if (printer != null) {
            printer.close();
        }
    }
}
