package lake;

import app.Pipeline;
import convert.ConversionResult;
import org.apache.avro.Schema;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import run.PipelineRun;

/** The load stage of a run: hands the uploaded Parquet to the configured {@link LoadEngine}. */
public final class LoadStage implements Processor {

    /** Exchange property holding the {@link LoadResult}, read by the query stage's reconciliation. */
    public static final String RESULT = "pipelineLoadResult";

    private final LoadEngine engine;
    private final Schema schema;

    public LoadStage(LoadEngine engine, Schema schema) {
        this.engine = engine;
        this.schema = schema;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        PipelineRun run = exchange.getProperty(Pipeline.RUN, PipelineRun.class);
        ConversionResult conversion = exchange.getProperty(ConversionResult.PROPERTY, ConversionResult.class);
        LoadResult result = engine.load(
                new LoadRequest(run.getRunId(), run.getParquetUri(), schema, conversion.rowsWritten(), run.getSha256()));
        run.setTable(result.table());
        run.setSnapshotId(result.snapshotId());
        exchange.setProperty(RESULT, result);
    }
}
