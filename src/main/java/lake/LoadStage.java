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
import run.RunRecorder;

/**
 * The load stage of a run: hands the run's own converted Parquet to the configured {@link LoadEngine}. Before the
 * convert stage, {@link #prepare} tells the convert stage the table's field ids and ends the run SKIPPED when the
 * table already holds its input. An input whose SHA-256 is still being computed then, and of a size the table holds
 * no input of, is converted meanwhile and looked up after the convert stage ({@link #skipIfLoaded}), before anything
 * is uploaded or loaded.
 */
public final class LoadStage implements Processor {

    private final LoadEngine engine;
    private final Schema schema;

    public LoadStage(LoadEngine engine, Schema schema) {
        this.engine = engine;
        this.schema = schema;
    }

    /**
     * Skips an input the table already holds, waiting for its SHA-256 only if the table holds an input of its size;
     * sets {@link Pipeline#FIELD_IDS} for a table that exists.
     */
    public void prepare(Exchange exchange) throws Exception {
        PipelineRun run = exchange.getProperty(Pipeline.RUN, PipelineRun.class);
        if (!RunRecorder.settleSha256(exchange, false) && exchange.getProperty(Pipeline.INPUT_SHA256) != null
            && engine.mayHold(run.getBytesRead())) {
            RunRecorder.settleSha256(exchange, true);
        }
        if (run.getSha256() != null) {
            skipIfHeld(run.getSha256());
        }
        int[] fieldIds = engine.fieldIds(schema);
        if (fieldIds != null) {
            exchange.setProperty(Pipeline.FIELD_IDS, fieldIds);
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
        LoadResult result = engine.load(new LoadRequest(run.getRunId(), run.getParquetUri(), schema,
                conversion.rowsWritten(), run.getSha256(), run.getTrigger(), Secrets.url(run.getSource()),
                conversion.parquetFile(), run.getBytesRead()));
        run.setTable(result.table());
        run.setSnapshotId(result.snapshotId());
        // the body is the stage's output: the commit that the query stage checks
        exchange.getIn().setBody(result);
    }
}
