package lake;

import java.util.Optional;

import config.MergeConfig;
import core.Pipeline;
import core.RunSchema;
import core.ConversionResult;
import core.Secrets;
import core.SparkConversion;
import org.apache.avro.Schema;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import run.InputIdentity;
import run.PipelineRun;

/**
 * The load stage of a run: hands the run's own converted Parquet to the configured {@link LoadEngine}. Before the
 * convert stage, {@link #prepare} ends the run SKIPPED when the table already holds its input (by its
 * {@link InputIdentity}, read from the exchange), and {@link #fitSchema} fits the run's schema to the table (again
 * after a conversion widened it) and tells the convert the table's field ids. An input whose SHA-256 is still being
 * computed then, and of a size the table holds no input of, is converted meanwhile and looked up after the convert
 * stage ({@link #skipIfLoaded}), before anything is uploaded or loaded. A run that finds nothing to load is not an
 * error: {@link Pipeline#SKIPPED} says why, and the routes end the run SKIPPED.
 */
public final class LoadStage implements Processor {

    /** Exchange property: the input was looked up in the table already, before the convert stage. */
    private static final String LOOKED_UP = "pipelineInputLookedUp";

    private final LoadEngine engine;
    private final MergeConfig merge;

    public LoadStage(LoadEngine engine) {
        this(engine, MergeConfig.NONE);
    }

    /** {@code merge}: the table's key, for {@code pipeline.table.mode=merge}; {@link MergeConfig#NONE} otherwise. */
    public LoadStage(LoadEngine engine, MergeConfig merge) {
        this.engine = engine;
        this.merge = merge;
    }

    /** Skips an input the table already holds, waiting for its SHA-256 only if the table holds an input of its size. */
    public void prepare(Exchange exchange) throws Exception {
        PipelineRun run = exchange.getProperty(Pipeline.RUN, PipelineRun.class);
        InputIdentity input = InputIdentity.of(exchange);
        if (input.isKnown() || engine.mayHold(run.getBytesRead())) {
            exchange.setProperty(LOOKED_UP, true);
            skipIfHeld(exchange, input.sha256());
        }
    }

    /**
     * Before each conversion: the run's schema ({@link Pipeline#SCHEMA}) fitted to the table, and
     * {@link Pipeline#FIELD_IDS}, the table's field id of each of its fields, for an engine that adds the converted
     * file to the table as it is.
     */
    public void fitSchema(Exchange exchange) throws Exception {
        SchemaFit fit = engine.fit(exchange.getProperty(Pipeline.SCHEMA, RunSchema.class));
        MergeKeys.check(merge, fit.schema());
        exchange.setProperty(Pipeline.SCHEMA, fit.schema());
        if (fit.fieldIds() != null) {
            exchange.setProperty(Pipeline.FIELD_IDS, fit.fieldIds());
        } else {
            exchange.removeProperty(Pipeline.FIELD_IDS);
        }
    }

    /**
     * After the convert stage, in a merge: the input's keys ({@link MergeInput}), read from the converted file's key
     * columns; two rows with one key fail the run here, naming both lines, before anything is uploaded.
     */
    public void readKeys(Exchange exchange) throws Exception {
        // the Spark job that converts a CSV checks its keys itself
        if (!merge.isMerge() || exchange.getProperty(SparkConversion.PROPERTY) != null) {
            return;
        }
        PipelineRun run = exchange.getProperty(Pipeline.RUN, PipelineRun.class);
        ConversionResult conversion = exchange.getProperty(ConversionResult.PROPERTY, ConversionResult.class);
        RunSchema schema = exchange.getProperty(Pipeline.SCHEMA, RunSchema.class);
        exchange.setProperty(Pipeline.MERGE_INPUT, MergeInput.read(conversion.parquetFile(),
                AvroToIceberg.convert(schema.avro()), merge, conversion.rowLines(), Secrets.url(run.getSource())));
    }

    /** After the convert stage: looks the input up, if its SHA-256 was still being computed at {@link #prepare}. */
    public void skipIfLoaded(Exchange exchange) throws Exception {
        if (!exchange.getProperty(LOOKED_UP, false, Boolean.class)) {
            skipIfHeld(exchange, InputIdentity.of(exchange).sha256());
        }
    }

    /** The table holds the input already: the run ends SKIPPED, saying which commit loaded it. */
    private void skipIfHeld(Exchange exchange, String sha256) throws Exception {
        Optional<CommitIdentity.PriorLoad> prior = engine.findLoad(sha256);
        if (prior.isPresent()) {
            exchange.setProperty(Pipeline.SKIPPED, prior.get().describe());
            report(exchange.getProperty(Pipeline.RUN, PipelineRun.class), LedgerEntry.of(prior.get()));
        }
    }

    /** The report names the ledger's row of the load: the run's own, or the earlier load of its input. */
    private static void report(PipelineRun run, LedgerEntry entry) {
        if (entry != null) {
            run.setLedgerEntry(new PipelineRun.LedgerEntry(entry.ledger(), entry.snapshotId(), entry.runId(),
                    entry.recorded() ? null : false));
        }
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        PipelineRun run = exchange.getProperty(Pipeline.RUN, PipelineRun.class);
        ConversionResult conversion = exchange.getProperty(ConversionResult.PROPERTY, ConversionResult.class);
        SparkConversion onSpark = exchange.getProperty(SparkConversion.PROPERTY, SparkConversion.class);
        Schema schema = exchange.getProperty(Pipeline.SCHEMA, RunSchema.class).avro();
        String sha256 = InputIdentity.of(exchange).sha256();
        LoadResult result = engine.load(onSpark != null
                ? new LoadRequest(run.getRunId(), run.getCsvUri(), schema, -1, sha256, run.getTrigger(),
                        Secrets.url(run.getSource()), null, run.getBytesRead(), null, new LoadRequest.CsvInput(
                                onSpark.beside(run.getCsvUri(), SparkConversion.SPEC),
                                onSpark.beside(run.getCsvUri(), SparkConversion.REJECTS), onSpark.extension()))
                : new LoadRequest(run.getRunId(), run.getParquetUri(), schema, conversion.rowsWritten(), sha256,
                        run.getTrigger(), Secrets.url(run.getSource()), conversion.parquetFile(), run.getBytesRead(),
                        exchange.getProperty(Pipeline.MERGE_INPUT, MergeInput.class)));
        if (result.converted() != null) {
            LoadResult.Converted converted = result.converted();
            run.setRowsRead(converted.rowsRead());
            run.setRowsWritten(converted.rowsRead() - converted.rowsRejected());
            run.setRowsRejected(converted.rowsRejected());
            run.setRejectsUri(converted.rejectsUri());
        }
        report(run, result.ledgerEntry());
        if (result.isSkipped()) {
            exchange.setProperty(Pipeline.SKIPPED, result.skipped());
            return;
        }
        run.setTable(result.table());
        run.setSnapshotId(result.snapshotId());
        if (result.ledgerEntry() != null && !result.ledgerEntry().recorded()) {
            run.addWarning("the load is committed but its row in the load ledger " + result.ledgerEntry().ledger()
                           + " is not written yet: the next load, start or maintain writes it");
        }
        if (result.merged() != null) {
            run.setMerged(result.merged().inserted(), result.merged().updated(), result.merged().deleted());
        }
        // the body is the stage's output: the commit that the query stage checks
        exchange.getIn().setBody(result);
    }
}
