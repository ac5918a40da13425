package convert;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

import core.RunLogContext;
import org.apache.camel.RuntimeCamelException;

/**
 * What the convert stage's CSV data formats unmarshal to: the records in {@link CsvBatch}es, parsed ahead of the
 * consumer on a daemon thread, so that parsing and converting use two cores, or parsed on the consumer's thread when
 * the parsing is cheap and the cores are better spent encoding. A few batches circulate between the threads
 * ({@link #release}), so memory stays a few buffers deep whatever the input's size. A parse failure arrives in
 * order, after the records before it, as the parser threw it. The first record is the header.
 */
public final class CsvBatches implements Closeable {

    /** Fills a cleared batch with the next records; false, the batch empty, when there are none left. */
    @FunctionalInterface
    interface Source {
        boolean fill(CsvBatch batch) throws IOException;
    }

    private static final int BATCHES = 10;
    /** The most records a batch of text records holds, however short they are. */
    static final int MAX_RECORDS_PER_BATCH = 8192;
    private static final Object END = new Object();

    private final Source source;
    private final Closeable input;
    private final boolean readAhead;
    private final BlockingQueue<Object> filled = new ArrayBlockingQueue<>(BATCHES + 1);
    private final BlockingQueue<CsvBatch> free = new ArrayBlockingQueue<>(BATCHES);
    private CsvBytes csv;
    private Thread reader;
    private boolean ended;
    private volatile boolean closed;
    private Throwable pending;

    /**
     * Reads {@code source} ahead on a thread of its own, or, without {@code readAhead}, on the consumer's thread as
     * it asks; {@code input} is what closing closes.
     */
    CsvBatches(Source source, Closeable input, char quote, boolean readAhead) {
        this.source = source;
        this.input = input;
        this.readAhead = readAhead;
        for (int i = 0; i < BATCHES; i++) {
            free.add(new CsvBatch((byte) quote, CsvBatch.TARGET_BYTES));
        }
    }

    /** These are the records of {@code bytes}, whose reading the conversion's progress reports. */
    CsvBatches readFrom(CsvBytes bytes) {
        this.csv = bytes;
        return this;
    }

    /** The CSV these records are read from; null when not told ({@link #readFrom}). */
    CsvBytes csv() {
        return csv;
    }

    /** The records of a parser that yields them one at a time, as text. */
    static CsvBatches of(Iterator<CsvRow> rows, Closeable input, char quote) {
        return new CsvBatches(batch -> {
            while (batch.records() < MAX_RECORDS_PER_BATCH && batch.bytesUsed() < CsvBatch.TARGET_BYTES) {
                if (!rows.hasNext()) {
                    return batch.records() > 0;
                }
                CsvRow row = rows.next();
                batch.add(row.lineNumber(), row.values());
            }
            return true;
        }, input, quote, true);
    }

    /**
     * The next batch, or {@code null} at the end; {@link #release} it once read. Throws the parser's failure once the
     * records before it were taken.
     */
    CsvBatch next() {
        if (closed) {
            // a retry handed the batches of an earlier attempt: nothing would ever arrive
            throw new IllegalStateException("the CSV batches are closed; a retry must open the input again");
        }
        if (!readAhead) {
            return readHere();
        }
        if (reader == null) {
            reader = new Thread(RunLogContext.carried(this::readAll), "csv-reader");
            reader.setDaemon(true);
            reader.start();
        }
        if (ended) {
            return null;
        }
        Object next = take(filled);
        if (next instanceof CsvBatch batch) {
            return batch;
        }
        ended = true;
        if (next == END) {
            return null;
        }
        throw rethrow((Throwable) next);
    }

    /** Whether the records are parsed on a thread of their own, not on the thread that calls {@link #next}. */
    boolean readsAhead() {
        return readAhead;
    }

    boolean isClosed() {
        return closed;
    }

    private CsvBatch readHere() {
        if (ended) {
            return null;
        }
        if (pending != null) {
            ended = true;
            throw rethrow(pending);
        }
        CsvBatch batch = take(free);
        batch.clear();
        try {
            if (source.fill(batch)) {
                return batch;
            }
            ended = true;
        } catch (Throwable t) {
            // the records before the failure first, so that it can say after which line it happened
            batch.dropOpenRecord();
            if (batch.records() > 0) {
                pending = t;
                return batch;
            }
            ended = true;
            release(batch);
            throw rethrow(t);
        }
        release(batch);
        return null;
    }

    /** Hands a batch from {@link #next} back to be filled again; its contents must not be used afterwards. */
    void release(CsvBatch batch) {
        free.add(batch);
    }

    private void readAll() {
        try (input) {
            for (;;) {
                CsvBatch batch = free.take();
                batch.clear();
                boolean more;
                try {
                    more = source.fill(batch);
                } catch (Throwable t) {
                    // the records before the failure first, so that it can say after which line it happened
                    batch.dropOpenRecord();
                    if (batch.records() > 0) {
                        filled.put(batch);
                    }
                    filled.put(t);
                    return;
                }
                if (!more) {
                    filled.put(END);
                    return;
                }
                filled.put(batch);
            }
        } catch (InterruptedException e) {
            // closed by the consumer: nobody is waiting for more
        } catch (Throwable t) {
            // closing the input failed, or an Error outside the parser: the consumer must not wait for ever
            filled.offer(t);
        }
    }

    private static <T> T take(BlockingQueue<T> queue) {
        try {
            return queue.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RuntimeCamelException("interrupted while waiting for CSV records", e);
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
        closed = true;
        if (reader != null) {
            reader.interrupt();
            filled.clear();
            try {
                reader.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else {
            input.close();
        }
        // the exchange may keep this body while its failure is reported: not the buffers, maybe grown for a long record
        filled.clear();
        free.clear();
    }
}
