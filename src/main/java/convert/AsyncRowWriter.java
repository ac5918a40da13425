package convert;

import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Feeds rows to {@link ColumnRowWriter.RowGroupEncoder}s on their own threads through small bounded queues of batches,
 * so converting the next rows and encoding the previous ones overlap, and two row groups are encoded side by side: the
 * rows go to one encoder until its row group is full, then to the next. Only its thread touches an encoder.
 */
final class AsyncRowWriter implements Closeable {

    /** Row groups encoded at the same time; {@link ParquetWriterProcessor#rowGroupSize} accounts for them. */
    static final int ENCODERS = 2;
    private static final int BATCH_ROWS = 1024;
    private static final int QUEUED_BATCHES = 4;
    private static final Object END_OF_GROUP = new Object();
    private static final Object END = new Object();

    private final ColumnRowWriter file;
    private final Lane[] lanes = new Lane[ENCODERS];
    private volatile Throwable failure;
    private Object[][] batch = new Object[BATCH_ROWS][];
    private int count;
    private int lane;
    private int ordinal = -1;
    private boolean groupOpen;

    AsyncRowWriter(ColumnRowWriter file) {
        this.file = file;
        for (int i = 0; i < lanes.length; i++) {
            lanes[i] = new Lane(i);
        }
        for (Lane l : lanes) {
            l.thread.start();
        }
    }

    /** Queues {@code row}, which must not be changed afterwards. */
    void write(Object[] row) throws IOException {
        batch[count++] = row;
        if (count == BATCH_ROWS) {
            handBatch(batch);
            batch = new Object[BATCH_ROWS][];
            count = 0;
        }
    }

    /** Writes the rows still queued and the footer; throws what went wrong on an encoder thread. */
    void finish() throws IOException {
        if (count > 0) {
            handBatch(Arrays.copyOf(batch, count));
            count = 0;
        }
        if (groupOpen) {
            hand(lanes[lane], END_OF_GROUP);
        }
        for (Lane l : lanes) {
            hand(l, END);
        }
        for (Lane l : lanes) {
            join(l.thread);
        }
        rethrowFailure();
        file.end();
    }

    /** Starts a row group on the current encoder if needed, and moves on to the next once the group is full. */
    private void handBatch(Object[][] rows) throws IOException {
        Lane current = lanes[lane];
        if (!groupOpen) {
            ordinal++;
            hand(current, ordinal);
            groupOpen = true;
        }
        hand(current, rows);
        if (current.fullGroup == ordinal) {
            hand(current, END_OF_GROUP);
            groupOpen = false;
            lane = (lane + 1) % lanes.length;
        }
    }

    /** Waits for room in the queue, but gives up as soon as an encoder failed, so a failure cannot hang us. */
    private void hand(Lane to, Object message) throws IOException {
        try {
            while (!to.queue.offer(message, 100, TimeUnit.MILLISECONDS)) {
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

    /** Waits for an encoder thread, but not for one that waits in turn behind an encoder that failed. */
    private void join(Thread thread) throws IOException {
        try {
            while (thread.isAlive()) {
                thread.join(100);
                rethrowFailure();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while writing Parquet");
        }
    }

    /** After {@link #finish()} only closes; otherwise stops the encoder threads first (the file is being abandoned). */
    @Override
    public void close() throws IOException {
        for (Lane l : lanes) {
            if (l.thread.isAlive()) {
                l.thread.interrupt();
                l.queue.clear();
            }
        }
        for (Lane l : lanes) {
            try {
                l.thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while writing Parquet");
            }
        }
        file.close();
    }

    /** One encoder thread and its queue: an ordinal starts a row group, then batches of rows, then END_OF_GROUP. */
    private final class Lane {

        final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(QUEUED_BATCHES);
        final Thread thread;
        /** The ordinal of the row group that has reached its size, seen by the thread that hands out rows. */
        volatile int fullGroup = -1;

        Lane(int index) {
            this.thread = new Thread(this::encodeAll, "parquet-writer-" + index);
            thread.setDaemon(true);
        }

        private void encodeAll() {
            try (ColumnRowWriter.RowGroupEncoder encoder = file.newEncoder()) {
                int group = -1;
                for (Object message = queue.take(); message != END; message = queue.take()) {
                    if (message instanceof Integer start) {
                        group = start;
                        encoder.start(group);
                    } else if (message == END_OF_GROUP) {
                        encoder.finish();
                    } else {
                        for (Object[] row : (Object[][]) message) {
                            encoder.write(row);
                        }
                        if (encoder.full()) {
                            fullGroup = group;
                        }
                    }
                }
            } catch (InterruptedException e) {
                failure = new InterruptedIOException("the Parquet writer was stopped");
            } catch (Throwable t) {
                failure = t;
            }
        }
    }
}
