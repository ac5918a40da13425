package convert;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

import org.apache.camel.Exchange;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.spi.DataFormat;
import org.apache.camel.spi.DataFormatName;
import org.apache.camel.support.service.ServiceSupport;

/**
 * The convert stage's CSV data format: unmarshals a {@link Reader} body into a closeable {@code Iterator<CsvRow>}
 * whose first row is the header. A reader thread tokenizes ahead of the consumer into a small bounded queue of row
 * batches, so parsing and Parquet encoding use two cores while memory stays a few batches deep.
 */
public final class CsvRowsDataFormat extends ServiceSupport implements DataFormat, DataFormatName {

    private final char delimiter;
    private final char quote;

    public CsvRowsDataFormat(char delimiter, char quote) {
        this.delimiter = delimiter;
        this.quote = quote;
    }

    @Override
    public String getDataFormatName() {
        return "csv-rows";
    }

    @Override
    public Object unmarshal(Exchange exchange, Object body) throws Exception {
        Reader reader = body instanceof Reader r
                ? r
                : exchange.getContext().getTypeConverter().mandatoryConvertTo(Reader.class, exchange, body);
        return new ReadAheadRows(new CsvTokenizer(reader, delimiter, quote));
    }

    @Override
    public Object unmarshal(Exchange exchange, InputStream stream) throws Exception {
        return unmarshal(exchange, (Object) stream);
    }

    @Override
    public void marshal(Exchange exchange, Object graph, OutputStream stream) {
        throw new UnsupportedOperationException("the convert stage only unmarshals CSV");
    }

    /** Rows read ahead on a daemon thread; a parse failure arrives in order, after the rows before it. */
    static final class ReadAheadRows implements Iterator<CsvRow>, Closeable {

        private static final int BATCH_ROWS = 2048;
        private static final int BATCH_CHARS = 256 * 1024;
        private static final Object END = new Object();

        private final CsvTokenizer tokenizer;
        private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(4);
        private Thread reader;
        private CsvRow[] batch = new CsvRow[0];
        private int index;
        private boolean ended;

        ReadAheadRows(CsvTokenizer tokenizer) {
            this.tokenizer = tokenizer;
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
            try (tokenizer) {
                long chars = 0;
                for (CsvRow row = tokenizer.next(); row != null; row = tokenizer.next()) {
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
                tokenizer.close();
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
}
