package core;

/**
 * How far the convert stage of a run in progress got, for whoever shows the run while it runs (the web UI): the bytes
 * of the input file (as stored: a compressed file's own) read so far of its size, the records parsed, and which pass
 * over the file this is (an inferred schema whose columns widened reads the file again). Written by the convert stage
 * after each batch, read from any thread.
 */
public final class ParseProgress {

    private final long totalBytes;
    private final int pass;
    private volatile long bytes;
    private volatile long records;

    /** {@code totalBytes}: the input's size, or -1 when unknown. */
    public ParseProgress(long totalBytes, int pass) {
        this.totalBytes = totalBytes;
        this.pass = pass;
    }

    /** Only the convert stage's thread writes: the records parsed and the file's bytes read so far in this pass. */
    public void advance(long recordsSoFar, long bytesSoFar) {
        records = recordsSoFar;
        bytes = bytesSoFar;
    }

    public long bytes() {
        return bytes;
    }

    public long records() {
        return records;
    }

    public long totalBytes() {
        return totalBytes;
    }

    public int pass() {
        return pass;
    }
}
