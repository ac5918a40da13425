package emr;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import config.EmrConfig;
import lake.LoadEngine;
import lake.LoadRequest;
import lake.LoadResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.emr.EmrClient;
import software.amazon.awssdk.services.emr.model.ActionOnFailure;
import software.amazon.awssdk.services.emr.model.Cluster;
import software.amazon.awssdk.services.emr.model.HadoopJarStepConfig;
import software.amazon.awssdk.services.emr.model.StepConfig;
import software.amazon.awssdk.services.s3.S3Client;
import spark.LoadSummary;
import spark.SparkSubmitCommand;

/**
 * Load engine {@code emr}: runs pyspark/load_to_iceberg.py as a {@code command-runner.jar} step on an EMR cluster it
 * creates or reuses, waits for it, and tears down what it created. A created cluster is terminated when the run fails
 * or times out, and after success unless {@code pipeline.emr.keepCluster}; a reused cluster is never terminated.
 * {@link #close()} terminates clusters of runs still in progress (the app is stopping).
 */
public final class EmrLoadEngine implements LoadEngine, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmrLoadEngine.class);

    private final EmrConfig config;
    private final Path stateDir;
    private final EmrClient emr;
    private final S3Client s3;
    private final boolean ownsClients;
    private final EmrClusters clusters;
    private final ScriptUploader uploader;
    private final StepLogs logs;
    private final EmrStepWaiter waiter;
    private final Map<String, EmrRunState> inProgress = new ConcurrentHashMap<>();

    public EmrLoadEngine(EmrConfig config, Path dataDir, EmrClient emr, S3Client s3) {
        this(config, dataDir, emr, s3, false);
    }

    private EmrLoadEngine(EmrConfig config, Path dataDir, EmrClient emr, S3Client s3, boolean ownsClients) {
        this.config = config;
        this.stateDir = dataDir.resolve("state");
        this.emr = emr;
        this.s3 = s3;
        this.ownsClients = ownsClients;
        this.clusters = new EmrClusters(emr, config);
        this.uploader = new ScriptUploader(s3);
        this.logs = new StepLogs(s3);
        this.waiter = new EmrStepWaiter(emr, logs, config.waitInterval(), config.waitTimeout());
    }

    /** An engine with its own SDK clients (default credentials chain, region and endpoint from the config). */
    public static EmrLoadEngine create(EmrConfig config, Path dataDir) {
        return new EmrLoadEngine(config, dataDir, AwsClients.emr(config.region(), config.endpoint()),
                                 AwsClients.s3(config.region(), config.endpoint()), true);
    }

    @Override
    public LoadResult load(LoadRequest request) throws Exception {
        EmrRunState state = EmrRunState.find(stateDir, request.runId(), request.parquetUri())
                .map(found -> {
                    LOG.info("Run {}: resuming the wait on EMR step {} (cluster {}) left by run {} for {}",
                             request.runId(), found.stepId(), found.clusterId(), found.runId(), found.parquetUri());
                    return found;
                })
                .orElseGet(() -> submit(request));
        inProgress.put(state.runId(), state);
        try {
            waiter.await(state.clusterId(), state.stepId());
        } catch (Exception | Error e) {
            finish(state, true);
            throw e;
        }
        LoadResult result = result(request, state);
        finish(state, false);
        return result;
    }

    /** The spark-submit command of the step, as a list. */
    public SparkSubmitCommand command(String parquetUri) {
        return SparkSubmitCommand.builder()
                .packages(config.packages())
                .s3TablesCatalog(config.catalogName(), config.tableBucketArn())
                .conf(config.sparkConf())
                .script(config.scriptUri())
                .loadArguments(parquetUri, config.catalogName(), config.namespace(), config.table(), config.mode())
                .build();
    }

    /** Terminates the clusters this engine created for runs still in progress, then releases its clients. */
    @Override
    public void close() {
        for (EmrRunState state : List.copyOf(inProgress.values())) {
            if (state.createdCluster() && !config.keepCluster()) {
                LOG.warn("Stopping while run {} waits on EMR step {}: terminating cluster {}", state.runId(),
                         state.stepId(), state.clusterId());
                finish(state, true);
            } else {
                // the cluster stays (reused, or keepCluster): so does the run state, and a restart resumes the wait
                inProgress.remove(state.runId());
                LOG.warn("Stopping while run {} waits on EMR step {} of cluster {}, which keeps running; a restart"
                         + " resumes the wait", state.runId(), state.stepId(), state.clusterId());
            }
        }
        if (ownsClients) {
            emr.close();
            s3.close();
        }
    }

    private EmrRunState submit(LoadRequest request) {
        try {
            uploader.upload(config.scriptPath(), config.scriptUri());
            EmrClusters.Target target = clusters.resolve(request.runId());
            SparkSubmitCommand command = command(request.parquetUri());
            String stepId;
            try {
                stepId = emr.addJobFlowSteps(b -> b.jobFlowId(target.clusterId()).steps(StepConfig.builder()
                        .name(config.stepName())
                        .actionOnFailure(ActionOnFailure.fromValue(config.actionOnFailure().name()))
                        .hadoopJarStep(HadoopJarStepConfig.builder().jar("command-runner.jar")
                                               .args(command.arguments()).build())
                        .build())).stepIds().get(0);
            } catch (RuntimeException e) {
                if (target.created()) {
                    clusters.terminate(target.clusterId());
                }
                throw e;
            }
            LOG.info("Run {}: submitted EMR step {} to cluster {}: {}", request.runId(), stepId, target.clusterId(),
                     command);
            EmrRunState state = new EmrRunState(request.runId(), request.parquetUri(), target.clusterId(), stepId,
                                                target.created());
            state.write(stateDir);
            return state;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Terminates a created cluster when the run failed, or after success unless keepCluster; forgets the run. */
    private void finish(EmrRunState state, boolean failed) {
        if (inProgress.remove(state.runId()) == null) {
            return; // close() and a failing wait may both get here; the first one tears down
        }
        try {
            if (state.createdCluster() && (failed || !config.keepCluster())) {
                clusters.terminate(state.clusterId());
            } else if (state.createdCluster()) {
                LOG.info("Keeping EMR cluster {} (pipeline.emr.keepCluster=true): it bills until terminated",
                         state.clusterId());
            }
        } catch (RuntimeException e) {
            LOG.error("Could not terminate EMR cluster {}; terminate it by hand: {}", state.clusterId(),
                      e.getMessage());
        } finally {
            state.delete(stateDir);
        }
    }

    private LoadResult result(LoadRequest request, EmrRunState state) {
        Cluster cluster = emr.describeCluster(b -> b.clusterId(state.clusterId())).cluster();
        Optional<LoadSummary> summary = logs.lines(cluster.logUri(), state.clusterId(), state.stepId(), "stdout.gz")
                .flatMap(LoadSummary::find);
        long snapshotId = summary.map(LoadSummary::snapshotId).orElse(-1L);
        long previous = summary.filter(LoadSummary::hasRowsInTable)
                .map(s -> config.mode() == SparkSubmitCommand.Mode.APPEND
                        ? s.rowsInTable() - request.rowsWritten() : 0L)
                .orElse(-1L);
        String table = config.catalogName() + "." + config.namespace() + "." + config.table();
        LOG.info("Run {}: EMR loaded {} rows into {} (snapshot {})", request.runId(), request.rowsWritten(), table,
                 snapshotId);
        return new LoadResult(table, snapshotId, request.rowsWritten(), previous);
    }
}
