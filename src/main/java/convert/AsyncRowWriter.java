package convert;

import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Feeds rows to a {@link ColumnRowWriter} on its own thread through a small bounded queue of batches, so converting the
 * next rows and encoding the previous ones overlap. Only that thread touches the writer until it has ended.
 */
final class AsyncRowWriter implements Closeable {

    private static final int BATCH_ROWS = 1024;
    private static final int QUEUED_BATCHES = 4;
    private static final Object[][] END = new Object[0][];

    private final ColumnRowWriter writer;
    private final BlockingQueue<Object[][]> queue = new ArrayBlockingQueue<>(QUEUED_BATCHES);
    private final Thread thread;
    private volatile Throwable failure;
    private Object[][] batch = new Object[BATCH_ROWS][];
    private int count;

    AsyncRowWriter(ColumnRowWriter writer) {
        this.writer = writer;
        this.thread = new Thread(this::writeAll, "parquet-writer");
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues {@code row}, which must not be changed afterwards. */
    void write(Object[] row) throws IOException {
        batch[count++] = row;
        if (count == BATCH_ROWS) {
            hand(batch);
            batch = new Object[BATCH_ROWS][];
            count = 0;
        }
    }

    /** Writes the rows still queued and closes the Parquet file; throws what went wrong on the writer thread. */
    void finish() throws IOException {
        if (count > 0) {
            hand(Arrays.copyOf(batch, count));
            count = 0;
        }
        hand(END);
        join();
        rethrowFailure();
        writer.close();
    }

    private void writeAll() {
        try {
            for (Object[][] rows = queue.take(); rows != END; rows = queue.take()) {
                for (Object[] row : rows) {
                    writer.write(row);
                }
            }
        } catch (InterruptedException e) {
            failure = new InterruptedIOException("the Parquet writer was stopped");
        } catch (Throwable t) {
            failure = t;
        }
    }

    /** Waits for room in the queue, but gives up as soon as the writer thread failed, so a failure cannot hang us. */
    private void hand(Object[][] rows) throws IOException {
        try {
            while (!queue.offer(rows, 100, TimeUnit.MILLISECONDS)) {
                rethrowFailure();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while writing Parquet");
        }
        rethrowFailure();
    }

    private void rethrowFailure() throws IOException {
        Throwable t = failure;
        if (t == null) {
            return;
        }
        if (t instanceof IOException e) {
            throw new IOException(e.getMessage(), e);
        }
        if (t instanceof RuntimeException e) {
            throw e;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new IOException(t);
    }

    private void join() throws InterruptedIOException {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while writing Parquet");
        }
    }

    /** After {@link #finish()} only closes; otherwise stops the writer thread first (the file is being abandoned). */
    @Override
    public void close() throws IOException {
        if (thread.isAlive()) {
            thread.interrupt();
            queue.clear();
            join();
        }
        writer.close();
    }
}
