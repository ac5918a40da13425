package lake;

import java.util.Optional;

import core.NothingToLoadException;
import core.Pipeline;
import core.ConversionResult;
import core.Secrets;
import org.apache.avro.Schema;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import run.PipelineRun;

/**
 * The load stage of a run: hands the run's own converted Parquet to the configured {@link LoadEngine}. Before the
 * convert stage, {@link #prepare} ends the run SKIPPED when the table already holds its input, and tells the convert
 * stage the table's field ids.
 */
public final class LoadStage implements Processor {

    private final LoadEngine engine;
    private final Schema schema;

    public LoadStage(LoadEngine engine, Schema schema) {
        this.engine = engine;
        this.schema = schema;
    }

    /** Skips an input the table already holds; sets {@link Pipeline#FIELD_IDS} for a table that exists. */
    public void prepare(Exchange exchange) throws Exception {
        PipelineRun run = exchange.getProperty(Pipeline.RUN, PipelineRun.class);
        if (run.getSha256() != null) {
            Optional<CommitIdentity.PriorLoad> prior = engine.findLoad(run.getSha256());
            if (prior.isPresent()) {
                throw new NothingToLoadException(prior.get().describe());
            }
        }
        int[] fieldIds = engine.fieldIds(schema);
        if (fieldIds != null) {
            exchange.setProperty(Pipeline.FIELD_IDS, fieldIds);
        }
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        PipelineRun run = exchange.getProperty(Pipeline.RUN, PipelineRun.class);
        ConversionResult conversion = exchange.getProperty(ConversionResult.PROPERTY, ConversionResult.class);
        LoadResult result = engine.load(new LoadRequest(run.getRunId(), run.getParquetUri(), schema,
                conversion.rowsWritten(), run.getSha256(), run.getTrigger(), Secrets.url(run.getSource()),
                conversion.parquetFile()));
        run.setTable(result.table());
        run.setSnapshotId(result.snapshotId());
        // the body is the stage's output: the commit that the query stage checks
        exchange.getIn().setBody(result);
    }
}
