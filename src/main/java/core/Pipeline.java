package core;

/** Names of the exchange properties and headers the pipeline routes share, in one place. */
public final class Pipeline {

    /** The {@link run.PipelineRun} of the exchange: id, trigger, counters, stage timings, outcome. */
    public static final String RUN = "pipelineRun";
    /** Entity tag and last modification time the source sent, replayed as If-None-Match / If-Modified-Since. */
    public static final String ETAG = "ETag";
    public static final String LAST_MODIFIED = "Last-Modified";
    /**
     * The Iceberg field id of each field of the Avro schema ({@code int[]}, by field position), set before the
     * convert stage by a load engine that adds the converted file to the table as it is; absent for the others.
     */
    public static final String FIELD_IDS = "pipelineFieldIds";
    /**
     * The run's {@link RunSchema}: the Avro schema its CSV is converted with and its table loaded with, given or
     * inferred, set before the convert stage and replaced as it is fitted to the table and widened.
     */
    public static final String SCHEMA = "pipelineSchema";
    /**
     * The local CSV the run reads ({@link java.nio.file.Path}): the dropped file, the one-shot file or the download.
     * It is also the body the run starts with; later stages make the body their own output.
     */
    public static final String INPUT_FILE = "pipelineInputFile";
    /**
     * The input's identity ({@link run.InputIdentity}), its SHA-256: computed as a download arrives, or for a local
     * file on a thread of its own alongside the convert stage; every stage that needs it reads it here.
     */
    public static final String INPUT_SHA256 = "pipelineInputSha256";
    /**
     * Why the run ends SKIPPED ({@code String}): set by the stage that found nothing to load (the input has a header
     * but no rows, or the table holds it already), after which the routes end the run there, loading nothing.
     */
    public static final String SKIPPED = "pipelineSkipped";
    /**
     * How far the convert stage got ({@link ParseProgress}): set as it begins each pass over the CSV, updated after
     * each batch, read by whoever shows the runs in progress.
     */
    public static final String CONVERT_PROGRESS = "pipelineConvertProgress";
    /**
     * The keys of a merge's input ({@code lake.MergeInput}), read from the converted Parquet after the convert stage
     * ({@code pipeline.table.mode=merge} only): the load finds the table's rows to replace with them.
     */
    public static final String MERGE_INPUT = "pipelineMergeInput";
    /** {@code true} when the input is a body this run downloaded: kept in {@code <data.dir>/failed/} if it fails. */
    public static final String INPUT_DOWNLOADED = "pipelineInputDownloaded";
    /** The file in the inbox ({@link java.nio.file.Path}) that started the run; moved when the run ends. */
    public static final String INBOX_FILE = "pipelineInboxFile";
    /** Temporary files of the run ({@code List<Path>}: the Parquet, the rejects CSV), deleted when it ends. */
    public static final String WORK_FILES = "pipelineWorkFiles";

    /**
     * The dataset whose trigger made the exchange, as a value rather than pasted into an expression (a one-shot run
     * waits for the turn of its dataset before its run starts).
     */
    public static final String DATASET = "pipelineDataset";

    private Pipeline() {
    }

    /** The registry name of a dataset's own bean, such as {@code orders.loadStage}; the routes refer to it so. */
    public static String bean(String dataset, String name) {
        return dataset + "." + name;
    }
}
