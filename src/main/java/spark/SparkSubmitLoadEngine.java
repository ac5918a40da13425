package spark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

import config.SparkConfig;
import config.TableConfig;
import lake.LoadEngine;
import lake.LoadRequest;
import lake.LoadResult;
import lake.S3Downloads;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Load engine {@code spark-submit}: runs pyspark/load_to_iceberg.py, the job EMR runs, with a configurable
 * spark-submit (local Spark, YARN, Kubernetes, a standalone master). The uploaded Parquet is staged from S3 to a local
 * temporary file through the app's S3 client and passed as {@code --input} (a Spark that cannot see this machine's
 * disk reads {@code s3a://} instead: {@code pipeline.spark.stageInput=false}). A non-zero exit fails the run with the
 * job's {@code ERROR:} line and the tail of stderr; the result comes from the job's LOAD_SUMMARY line. A job killed by
 * its timeout or by the app stopping fails the run saying so, whatever exit code the killed process left.
 */
public final class SparkSubmitLoadEngine extends ServiceSupport implements LoadEngine {

    private static final Logger LOG = LoggerFactory.getLogger(SparkSubmitLoadEngine.class);

    private final SparkConfig spark;
    private final TableConfig table;
    private final Supplier<S3Client> s3;
    private final SparkSubmitProcess.Runs runs = new SparkSubmitProcess.Runs();

    public SparkSubmitLoadEngine(SparkConfig spark, TableConfig table, S3Client s3) {
        this(spark, table, () -> s3);
    }

    /** {@code s3}: the client, asked for when a load stages its input. */
    public SparkSubmitLoadEngine(SparkConfig spark, TableConfig table, Supplier<S3Client> s3) {
        this.spark = spark;
        this.table = table;
        this.s3 = s3;
        if (spark.packages().isEmpty() && spark.jars().isEmpty()) {
            LOG.warn("Neither pipeline.spark.packages nor pipeline.spark.jars is set: the Spark at {} must bring the "
                     + "Iceberg Spark runtime itself", spark.sparkSubmit());
        }
    }

    @Override
    public LoadResult load(LoadRequest request) throws Exception {
        if (runs.stopping()) {
            throw new SparkJobFailedException("spark-submit loading " + request.parquetUri() + " not started: the app"
                                              + " is stopping");
        }
        Path staged = spark.stageInput() ? S3Downloads.toTempFile(s3.get(), request.parquetUri()) : null;
        SparkSubmitProcess.Outcome outcome;
        try {
            String input = staged != null ? staged.toString() : request.parquetUri().replaceFirst("^s3://", "s3a://");
            outcome = SparkSubmitProcess.run(command(input, request), environment(), spark.timeout(), runs);
        } finally {
            if (staged != null) {
                Files.deleteIfExists(staged);
            }
        }
        // killed by the app first: a killed tree's exit code says nothing about the job or its configuration
        if (outcome.killed().isPresent()) {
            throw killed(request, outcome);
        }
        if (!outcome.succeeded()) {
            throw new SparkJobFailedException("Spark load of " + request.parquetUri() + " into "
                                              + table.qualifiedName() + " failed: " + outcome.describeFailure());
        }
        LoadSummary summary = LoadSummary.find(outcome.stdout()).orElseThrow(() -> new SparkJobFailedException(
                "spark-submit exited with code 0 but printed no " + LoadSummary.PREFIX.trim() + " line; is"
                + " pipeline.spark.script=" + spark.script() + " the project's Spark job?"));
        if (summary.skipped()) {
            return LoadResult.skipped(summary.priorLoad());
        }
        long rowsWritten = summary.rowsWritten() >= 0 ? summary.rowsWritten() : request.rowsWritten();
        if (summary.merged() != null) {
            LOG.info("Run {}: Spark merged {} rows from {} into {}, snapshot {}: {} inserted, {} updated, {} deleted,"
                     + " {} rows in the table", request.runId(), rowsWritten, request.parquetUri(),
                     table.qualifiedName(), summary.snapshotId(), summary.merged().inserted(),
                     summary.merged().updated(), summary.merged().deleted(), summary.rowsInTable());
            return new LoadResult(table.qualifiedName(), summary.snapshotId(), rowsWritten, summary.rowsBefore(),
                    summary.merged(), summary.ledgerEntry(request.runId()));
        }
        long previous = table.mode() == TableConfig.Mode.APPEND && summary.hasRowsInTable()
                ? summary.rowsInTable() - rowsWritten : 0;
        LOG.info("Run {}: Spark loaded {} rows from {} into {} ({} mode), snapshot {}, {} rows in the table",
                 request.runId(), rowsWritten, request.parquetUri(), table.qualifiedName(),
                 table.mode().name().toLowerCase(), summary.snapshotId(), summary.rowsInTable());
        return new LoadResult(table.qualifiedName(), summary.snapshotId(), rowsWritten, previous,
                summary.ledgerEntry(request.runId()));
    }

    private SparkJobFailedException killed(LoadRequest request, SparkSubmitProcess.Outcome outcome) {
        String loading = "spark-submit loading " + request.parquetUri();
        return switch (outcome.killed().orElseThrow()) {
            case STOP -> new SparkJobFailedException(loading + " was killed because the app is stopping");
            case TIMEOUT -> new SparkJobFailedException(loading + " did not finish within pipeline.spark.timeout="
                                                        + spark.timeout() + " and was killed; last lines of stderr:\n"
                                                        + String.join("\n", outcome.stderrTail()));
        };
    }

    /**
     * The app's stop is about to pass its timeout: the spark-submit runs still going are killed at once (process
     * tree), and their runs fail saying the app is stopping, rather than being cut short unreported by the stop.
     */
    @Override
    public void stopRuns() {
        runs.stopAll();
    }

    /** Stops the engine ({@link #doStop}). */
    @Override
    public void close() {
        stop();
    }

    /** As {@link #stopRuns()}: no job is left behind. */
    @Override
    protected void doStop() {
        stopRuns();
    }

    /** The spark-submit command for one input (a local path or a URI Spark can read). */
    public SparkSubmitCommand command(String input) {
        return command(input, null);
    }

    /** The spark-submit command for one input, with the identity its commit records when {@code request} is given. */
    SparkSubmitCommand command(String input, LoadRequest request) {
        SparkSubmitCommand.Builder command = commandBuilder(input);
        if (request != null) {
            command.identityArguments(request.inputSha256(), request.runId(), request.trigger(), request.source(),
                    table.reloadSameInput());
        }
        return command.build();
    }

    private SparkSubmitCommand.Builder commandBuilder(String input) {
        return SparkSubmitCommand.builder()
                .executable(spark.sparkSubmit())
                .master(spark.master())
                .packages(spark.packages())
                .jars(spark.jars())
                .catalog(spark.catalogName(), spark.catalogConf())
                .conf(spark.conf())
                .script(spark.script().toAbsolutePath().toString())
                .loadArguments(input, spark.catalogName(), table.namespace(), table.name(),
                               table.mode())
                .mergeArguments(table.merge());
    }

    /** What the child process gets on top of this one's environment: the Python that runs the job, then extras. */
    Map<String, String> environment() {
        Map<String, String> env = new HashMap<>();
        spark.python().ifPresent(python -> {
            env.put("PYSPARK_PYTHON", python);
            env.put("PYSPARK_DRIVER_PYTHON", python);
        });
        env.putAll(spark.env());
        return env;
    }
}
