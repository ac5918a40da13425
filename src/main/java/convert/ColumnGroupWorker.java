package convert;

import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import core.RunLogContext;

/**
 * Encodes one {@link ColumnRowWriter.Group} of columns on its own thread: for each batch handed over, the records the
 * converting thread {@linkplain CsvBatch#accepted accepted} are read again by this thread's own encoders and written
 * to the group; then the batch goes back to the reader. Only this thread touches the group between {@link #submit}
 * and {@link #drain}.
 */
final class ColumnGroupWorker implements Closeable {

    // fewer than the batches CsvBatches circulates less the two in hand: should this thread fail, the converting thread
    // finds the queue full, and so the failure, before it runs out of batches to fill
    private static final int QUEUED_BATCHES = 6;

    private final ColumnRowWriter.Group group;
    private final FieldEncoder[] encoders;
    private final int[] columnOfField;
    private final CsvBatches batches;
    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(QUEUED_BATCHES);
    private final Thread thread;
    private volatile Throwable failure;

    /** {@code encoders}: one per schema field, of which this group's are used; {@code columnOfField} as mapped. */
    ColumnGroupWorker(ColumnRowWriter.Group group, FieldEncoder[] encoders, int[] columnOfField, CsvBatches batches) {
        this.group = group;
        this.encoders = encoders;
        this.columnOfField = columnOfField;
        this.batches = batches;
        this.thread = new Thread(RunLogContext.carried(this::run), "parquet-columns");
        thread.setDaemon(true);
        thread.start();
    }

    /** Hands a batch over; the worker releases it to {@code batches} once written. */
    void submit(CsvBatch batch) throws IOException {
        hand(batch);
    }

    /** Waits until every batch handed over is written, so that the row group can end. */
    void drain() throws IOException {
        CountDownLatch done = new CountDownLatch(1);
        hand(done);
        try {
            while (!done.await(100, TimeUnit.MILLISECONDS)) {
                rethrowFailure();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while writing Parquet");
        }
        rethrowFailure();
    }

    private void run() {
        try {
            int[] fields = group.fields();
            for (;;) {
                Object next = queue.take();
                if (next instanceof CountDownLatch done) {
                    done.countDown();
                    continue;
                }
                CsvBatch batch = (CsvBatch) next;
                for (int r = 0, n = batch.records(); r < n; r++) {
                    if (!batch.accepted(r)) {
                        continue;
                    }
                    for (int field : fields) {
                        int column = columnOfField[field];
                        if (column >= 0) {
                            encoders[field].read(batch, batch.field(r, column));
                        }
                    }
                    group.write(encoders);
                }
                group.publishSize();
                batches.release(batch);
            }
        } catch (InterruptedException e) {
            // stopped: the file is being abandoned
        } catch (Throwable t) {
            failure = t;
        }
    }

    /** Waits for room in the queue, but gives up as soon as the worker failed, so a failure cannot hang us. */
    private void hand(Object item) throws IOException {
        try {
            while (!queue.offer(item, 100, TimeUnit.MILLISECONDS)) {
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

    /** Stops the thread and waits for it; after {@link #drain} it is idle, otherwise its batches are abandoned. */
    @Override
    public void close() throws IOException {
        thread.interrupt();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while stopping the Parquet writer");
        }
    }
}
