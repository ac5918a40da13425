package emr;

import java.util.Optional;

import config.SparkJobConfig;
import config.TableConfig;
import lake.LoadRequest;
import lake.LoadResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import spark.LoadSummary;
import spark.SparkSubmitCommand;

/**
 * The spark-submit of pyspark/load_to_iceberg.py as the engines emr (a step's arguments) and emr-serverless (a job
 * run's driver) both run it: the walkthrough's packages, the S3 Tables catalog, the job's load, merge and identity
 * arguments.
 */
public final class SparkJobs {

    private static final Logger LOG = LoggerFactory.getLogger(SparkJobs.class);

    private SparkJobs() {
    }

    /** The job loading {@code parquetUri}, without the identity of a run. */
    public static SparkSubmitCommand.Builder load(SparkJobConfig job, String parquetUri) {
        return SparkSubmitCommand.builder()
                .packages(job.packages())
                .s3TablesCatalog(job.catalogName(), job.tableBucketArn())
                .conf(job.sparkConf())
                .script(job.scriptUri())
                .loadArguments(parquetUri, job.catalogName(), job.namespace(), job.table(), job.mode())
                .mergeArguments(job.merge())
                .tableLocationPrefix(job.tableLocationPrefix());
    }

    /** The job of a run: it records the run and the input's SHA-256, and skips an input the table holds. */
    public static SparkSubmitCommand run(SparkJobConfig job, String parquetUri, String inputSha256, String runId) {
        return run(job, parquetUri, inputSha256, runId, null, null);
    }

    /**
     * The same for an input the job converts as a CSV ({@code pipeline.convert.on}) when {@code convertSpecUri} is
     * not null: {@code parquetUri} is then the CSV, and the job reads it by that spec, its rejects to
     * {@code rejectsUri}.
     */
    public static SparkSubmitCommand run(SparkJobConfig job, String parquetUri, String inputSha256, String runId,
                                         String convertSpecUri, String rejectsUri) {
        SparkSubmitCommand.Builder command = load(job, parquetUri)
                .identityArguments(inputSha256, runId, null, null, job.reloadSameInput());
        if (convertSpecUri != null) {
            command.csvInputArguments(convertSpecUri, rejectsUri);
        }
        return command.build();
    }

    /**
     * What the job did, from the {@code LOAD_SUMMARY} line of its driver's stdout: SKIPPED (the table holds the
     * input), merged, or loaded; without a summary the snapshot id and the rows before are unknown (-1).
     */
    public static LoadResult result(SparkJobConfig job, LoadRequest request, Optional<LoadSummary> summary,
                                    String engine) {
        LoadResult.Converted converted = summary.map(LoadSummary::converted).orElse(null);
        if (summary.filter(LoadSummary::noRows).isPresent()) {
            return LoadResult.skipped(LoadSummary.NO_ROWS).withConverted(converted);
        }
        if (summary.filter(LoadSummary::skipped).isPresent()) {
            return LoadResult.skipped(summary.get().priorLoad());
        }
        return loaded(job, request, summary, engine).withConverted(converted);
    }

    private static LoadResult loaded(SparkJobConfig job, LoadRequest request, Optional<LoadSummary> summary,
                                     String engine) {
        String table = job.qualifiedTable();
        long snapshotId = summary.map(LoadSummary::snapshotId).orElse(-1L);
        if (summary.map(LoadSummary::merged).isPresent()) {
            LOG.info("Run {}: {} merged {} rows into {} (snapshot {})", request.runId(), engine,
                     summary.get().rowsWritten(), table, snapshotId);
            return new LoadResult(table, snapshotId, summary.get().rowsWritten(), summary.get().rowsBefore(),
                    summary.get().merged(), summary.get().ledgerEntry(request.runId()));
        }
        // a CSV the job converted: the rows it wrote, which the app never counted
        long rowsWritten = request.csv() != null ? summary.map(LoadSummary::rowsWritten).orElse(-1L)
                : request.rowsWritten();
        long previous = summary.filter(LoadSummary::hasRowsInTable)
                .map(s -> job.mode() == TableConfig.Mode.APPEND ? s.rowsInTable() - rowsWritten : 0L)
                .orElse(-1L);
        LOG.info("Run {}: {} loaded {} rows into {} (snapshot {})", request.runId(), engine, rowsWritten,
                 table, snapshotId);
        return new LoadResult(table, snapshotId, rowsWritten, previous,
                summary.map(found -> found.ledgerEntry(request.runId())).orElse(null));
    }
}
