package core;

import java.nio.file.Path;

/**
 * The folders of {@code pipeline.data.dir}, named in this one place: what each stage, the start-up clean-up, the
 * health check and the {@code runs} command find there. Properties may move the inbox and the warehouse elsewhere;
 * these are their places when they do not.
 */
public final class DataDirLayout {

    private DataDirLayout() {
    }

    /** The run reports, {@code <runId>.json}. */
    public static Path runs(Path dataDir) {
        return dataDir.resolve("runs");
    }

    /** A run's working files (the converted Parquet, its run folder) until the run ends. */
    public static Path work(Path dataDir) {
        return dataDir.resolve("work");
    }

    /** What the triggers and engines remember between runs and restarts (one folder a dataset when several). */
    public static Path state(Path dataDir) {
        return dataDir.resolve("state");
    }

    /** One-shot and poller inputs kept aside after a failed run. */
    public static Path failed(Path dataDir) {
        return dataDir.resolve("failed");
    }

    /** The embedded S3 server's buckets and objects. */
    public static Path s3(Path dataDir) {
        return dataDir.resolve("s3");
    }

    /** The default {@code pipeline.table.warehouse}. */
    public static Path warehouse(Path dataDir) {
        return dataDir.resolve("warehouse");
    }

    /** The default {@code pipeline.inbox.dir}. */
    public static Path inbox(Path dataDir) {
        return dataDir.resolve("inbox");
    }

    /** The lock file that keeps a second process off the data dir. */
    public static Path lockFile(Path dataDir) {
        return dataDir.resolve(".lock");
    }
}
