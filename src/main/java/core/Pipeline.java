package core;

/** Names of the exchange properties and headers the pipeline routes share, in one place. */
public final class Pipeline {

    /** The {@link run.PipelineRun} of the exchange: id, trigger, counters, stage timings, outcome. */
    public static final String RUN = "pipelineRun";
    /** SHA-256 of the downloaded body, the key of the idempotent repository of the HTTP poller. */
    public static final String SHA256 = "PipelineSha256";
    /** Entity tag and last modification time the source sent, replayed as If-None-Match / If-Modified-Since. */
    public static final String ETAG = "ETag";
    public static final String LAST_MODIFIED = "Last-Modified";
    /**
     * The Iceberg field id of each field of the Avro schema ({@code int[]}, by field position), set before the
     * convert stage by a load engine that adds the converted file to the table as it is; absent for the others.
     */
    public static final String FIELD_IDS = "pipelineFieldIds";

    private Pipeline() {
    }

    /** The registry name of a dataset's own bean, such as {@code orders.loadStage}; the routes refer to it so. */
    public static String bean(String dataset, String name) {
        return dataset + "." + name;
    }
}
