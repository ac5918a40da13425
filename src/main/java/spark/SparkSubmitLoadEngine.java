package spark;

import java.io.IOException;
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
import core.SparkConversion;
import lake.S3Downloads;
import s3.S3Location;
import software.amazon.awssdk.core.sync.RequestBody;
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
        CsvJobFiles csv = request.csv() == null ? null : new CsvJobFiles(request.csv());
        Path staged = null;
        SparkSubmitProcess.Outcome outcome;
        try {
            staged = spark.stageInput() ? S3Downloads.toTempFile(s3.get(), request.parquetUri(),
                    csv != null ? request.csv().extension() : ".parquet") : null;
            String input = staged != null ? staged.toString() : s3a(request.parquetUri());
            SparkSubmitCommand.Builder command = commandOf(input, request);
            if (csv != null) {
                csv.stage(staged != null);
                command.csvInputArguments(csv.spec, csv.rejects);
            }
            outcome = SparkSubmitProcess.run(command.build(), environment(), spark.timeout(), runs);
            if (csv != null && outcome.succeeded()) {
                csv.uploadRejects();
            }
        } finally {
            if (staged != null) {
                Files.deleteIfExists(staged);
            }
            if (csv != null) {
                csv.delete();
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
        LoadResult.Converted converted = summary.converted() == null ? null : new LoadResult.Converted(
                summary.converted().rowsRead(), summary.converted().rowsRejected(),
                summary.converted().rejectsUri() == null ? null : request.csv().rejectsUri());
        if (summary.noRows()) {
            return LoadResult.skipped(LoadSummary.NO_ROWS).withConverted(converted);
        }
        if (summary.skipped()) {
            return LoadResult.skipped(summary.priorLoad());
        }
        return load(request, summary).withConverted(converted);
    }

    private LoadResult load(LoadRequest request, LoadSummary summary) {
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
        return commandOf(input, request).build();
    }

    private SparkSubmitCommand.Builder commandOf(String input, LoadRequest request) {
        SparkSubmitCommand.Builder command = commandBuilder(input);
        if (request != null) {
            command.identityArguments(request.inputSha256(), request.runId(), request.trigger(), request.source(),
                    table.reloadSameInput());
        }
        return command;
    }

    private static String s3a(String s3Uri) {
        return s3Uri.replaceFirst("^s3://", "s3a://");
    }

    /**
     * The convert spec and rejects of a CSV the job converts, where this Spark finds them: on S3 ({@code s3a://}), or
     * with {@code pipeline.spark.stageInput}, the spec staged on this machine's disk and the rejects written there,
     * then uploaded where the app's convert puts them.
     */
    private final class CsvJobFiles {

        private final LoadRequest.CsvInput csv;
        private String spec;
        private String rejects;
        private Path stagedSpec;
        private Path localRejects;

        CsvJobFiles(LoadRequest.CsvInput csv) {
            this.csv = csv;
        }

        void stage(boolean local) throws IOException {
            if (!local) {
                spec = s3a(csv.specUri());
                rejects = s3a(csv.rejectsUri());
                return;
            }
            stagedSpec = S3Downloads.toTempFile(s3.get(), csv.specUri(), SparkConversion.SPEC);
            spec = stagedSpec.toString();
            localRejects = stagedSpec.resolveSibling(stagedSpec.getFileName() + ".rejects.csv");
            rejects = localRejects.toString();
        }

        void uploadRejects() {
            if (localRejects != null && Files.exists(localRejects)) {
                S3Location target = S3Location.object(csv.rejectsUri());
                s3.get().putObject(b -> b.bucket(target.bucket()).key(target.key()).contentType("text/csv"),
                        RequestBody.fromFile(localRejects));
            }
        }

        void delete() throws IOException {
            if (stagedSpec != null) {
                Files.deleteIfExists(stagedSpec);
            }
            if (localRejects != null) {
                Files.deleteIfExists(localRejects);
                // Hadoop's local file system writes a checksum beside it
                Files.deleteIfExists(localRejects.resolveSibling("." + localRejects.getFileName() + ".crc"));
            }
        }
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
