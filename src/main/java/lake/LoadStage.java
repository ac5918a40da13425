package lake;

import java.util.Optional;

import core.NothingToLoadException;
import core.Pipeline;
import core.RunSchema;
import core.ConversionResult;
import core.Secrets;
import org.apache.avro.Schema;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import run.PipelineRun;
import run.RunRecorder;

/**
 * The load stage of a run: hands the run's own converted Parquet to the configured {@link LoadEngine}. Before the
 * convert stage, {@link #prepare} ends the run SKIPPED when the table already holds its input, and {@link #fitSchema}
 * fits the run's schema to the table (again after a conversion widened it) and tells the convert the table's field
 * ids. An input whose SHA-256 is still being computed then, and of a size the table holds no input of, is converted
 * meanwhile and looked up after the convert stage ({@link #skipIfLoaded}), before anything is uploaded or loaded.
 */
public final class LoadStage implements Processor {

    private final LoadEngine engine;

    public LoadStage(LoadEngine engine) {
        this.engine = engine;
    }

    /** Skips an input the table already holds, waiting for its SHA-256 only if the table holds an input of its size. */
    public void prepare(Exchange exchange) throws Exception {
        PipelineRun run = exchange.getProperty(Pipeline.RUN, PipelineRun.class);
        if (!RunRecorder.settleSha256(exchange, false) && exchange.getProperty(Pipeline.INPUT_SHA256) != null
            && engine.mayHold(run.getBytesRead())) {
            RunRecorder.settleSha256(exchange, true);
        }
        if (run.getSha256() != null) {
            skipIfHeld(run.getSha256());
        }
    }

    /**
     * Before each conversion: the run's schema ({@link Pipeline#SCHEMA}) fitted to the table, and
     * {@link Pipeline#FIELD_IDS}, the table's field id of each of its fields, for an engine that adds the converted
     * file to the table as it is.
     */
    public void fitSchema(Exchange exchange) throws Exception {
        SchemaFit fit = engine.fit(exchange.getProperty(Pipeline.SCHEMA, RunSchema.class));
        exchange.setProperty(Pipeline.SCHEMA, fit.schema());
        if (fit.fieldIds() != null) {
            exchange.setProperty(Pipeline.FIELD_IDS, fit.fieldIds());
        } else {
            exchange.removeProperty(Pipeline.FIELD_IDS);
        }
    }

    /** After the convert stage: the input's SHA-256, if it was still being computed at {@link #prepare}. */
    public void skipIfLoaded(Exchange exchange) throws Exception {
        if (RunRecorder.settleSha256(exchange, true)) {
            skipIfHeld(exchange.getProperty(Pipeline.RUN, PipelineRun.class).getSha256());
        }
    }

    private void skipIfHeld(String sha256) throws Exception {
        Optional<CommitIdentity.PriorLoad> prior = engine.findLoad(sha256);
        if (prior.isPresent()) {
            throw new NothingToLoadException(prior.get().describe());
        }
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        PipelineRun run = exchange.getProperty(Pipeline.RUN, PipelineRun.class);
        ConversionResult conversion = exchange.getProperty(ConversionResult.PROPERTY, ConversionResult.class);
        Schema schema = exchange.getProperty(Pipeline.SCHEMA, RunSchema.class).avro();
        LoadResult result = engine.load(new LoadRequest(run.getRunId(), run.getParquetUri(), schema,
                conversion.rowsWritten(), run.getSha256(), run.getTrigger(), Secrets.url(run.getSource()),
                conversion.parquetFile(), run.getBytesRead()));
        run.setTable(result.table());
        run.setSnapshotId(result.snapshotId());
        // the body is the stage's output: the commit that the query stage checks
        exchange.getIn().setBody(result);
    }
}
