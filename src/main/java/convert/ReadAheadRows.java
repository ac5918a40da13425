package convert;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

import org.apache.camel.RuntimeCamelException;

/**
 * CSV rows parsed ahead of the consumer on a daemon thread into a small bounded queue of row batches, so parsing and
 * converting use two cores while memory stays a few batches deep. A parse failure arrives in order, after the rows
 * before it, as the parser threw it.
 */
final class ReadAheadRows implements Iterator<CsvRow>, Closeable {

    /** The parser's next row, or {@code null} at the end of the input. */
    @FunctionalInterface
    interface RowSource {
        CsvRow next() throws IOException;
    }

    private static final int BATCH_ROWS = 2048;
    private static final int BATCH_CHARS = 256 * 1024;
    private static final Object END = new Object();

    private final RowSource source;
    private final Closeable input;
    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(4);
    private Thread reader;
    private CsvRow[] batch = new CsvRow[0];
    private int index;
    private boolean ended;

    /** Reads {@code source} ahead; {@code input} is what closing the rows closes. */
    ReadAheadRows(RowSource source, Closeable input) {
        this.source = source;
        this.input = input;
    }

    /** The rows of a parser's iterator, read ahead; {@code input} is what closing the rows closes. */
    static ReadAheadRows of(Iterator<CsvRow> rows, Closeable input) {
        return new ReadAheadRows(() -> rows.hasNext() ? rows.next() : null, input);
    }

    @Override
    public boolean hasNext() {
        if (reader == null) {
            reader = new Thread(this::readAll, "csv-reader");
            reader.setDaemon(true);
            reader.start();
        }
        while (index == batch.length && !ended) {
            Object next;
            try {
                next = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RuntimeCamelException("interrupted while waiting for CSV rows", e);
            }
            if (next == END) {
                ended = true;
            } else if (next instanceof CsvRow[] rows) {
                batch = rows;
                index = 0;
            } else {
                ended = true;
                throw rethrow((Throwable) next);
            }
        }
        return index < batch.length;
    }

    @Override
    public CsvRow next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        CsvRow row = batch[index];
        batch[index++] = null;
        return row;
    }

    private void readAll() {
        CsvRow[] rows = new CsvRow[BATCH_ROWS];
        int n = 0;
        try (input) {
            long chars = 0;
            for (CsvRow row = source.next(); row != null; row = source.next()) {
                rows[n++] = row;
                for (String value : row.values()) {
                    chars += value.length();
                }
                if (n == BATCH_ROWS || chars >= BATCH_CHARS) {
                    queue.put(n == BATCH_ROWS ? rows : Arrays.copyOf(rows, n));
                    rows = new CsvRow[BATCH_ROWS];
                    n = 0;
                    chars = 0;
                }
            }
            if (n > 0) {
                queue.put(Arrays.copyOf(rows, n));
            }
            queue.put(END);
        } catch (InterruptedException e) {
            // closed by the consumer: nobody is waiting for more
        } catch (Throwable t) {
            try {
                // the rows before the failure first, so that it can say after which line it happened
                if (n > 0) {
                    queue.put(Arrays.copyOf(rows, n));
                }
                queue.put(t);
            } catch (InterruptedException e) {
                // closed by the consumer
            }
        }
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException e) {
            return e;
        }
        if (t instanceof Error e) {
            throw e;
        }
        if (t instanceof IOException e) {
            return new UncheckedIOException(e.getMessage(), e);
        }
        return new RuntimeCamelException(t);
    }

    /** Stops the reader thread and waits for it, so the input is closed when this returns. */
    @Override
    public void close() throws IOException {
        if (reader == null) {
            input.close();
            return;
        }
        reader.interrupt();
        queue.clear();
        try {
            reader.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
