package emr;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;


import aws.AwsErrors;
import aws.StopSignal;
import config.EmrConfig;
import core.DataDirLayout;
import lake.LoadEngine;
import lake.LoadRequest;
import lake.LoadResult;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.emr.EmrClient;
import software.amazon.awssdk.services.emr.model.ActionOnFailure;
import software.amazon.awssdk.services.emr.model.Cluster;
import software.amazon.awssdk.services.emr.model.ClusterState;
import software.amazon.awssdk.services.emr.model.HadoopJarStepConfig;
import software.amazon.awssdk.services.emr.model.StepConfig;
import software.amazon.awssdk.services.emr.model.StepSummary;
import software.amazon.awssdk.services.s3.S3Client;
import spark.LoadSummary;
import spark.SparkSubmitCommand;

/**
 * Load engine {@code emr}: runs pyspark/load_to_iceberg.py as a {@code command-runner.jar} step on an EMR cluster it
 * creates or reuses, waits for it, and tears down what it created. A created cluster is terminated when the run fails
 * or times out, and after success unless {@code pipeline.emr.keepCluster}; a reused cluster is never terminated.
 * Starting it ({@link #sweepLeftovers()}) tries again the terminations that failed in an earlier process. The app's
 * stop lets a run in progress finish; when the stop's time runs out, {@link #stopRuns()} terminates clusters of runs
 * still in progress and ends their waits; stopping it ({@link #close()}) does the same, then releases its clients.
 */
public final class EmrLoadEngine extends ServiceSupport implements LoadEngine {

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
    /** Given when the engine stops: a wait still going ends at once. */
    private final StopSignal stopping = new StopSignal();

    public EmrLoadEngine(EmrConfig config, Path dataDir, EmrClient emr, S3Client s3) {
        this(config, dataDir, emr, s3, false);
    }

    private EmrLoadEngine(EmrConfig config, Path dataDir, EmrClient emr, S3Client s3, boolean ownsClients) {
        this.config = config;
        this.stateDir = DataDirLayout.state(dataDir);
        this.emr = emr;
        this.s3 = s3;
        this.ownsClients = ownsClients;
        this.clusters = new EmrClusters(emr, config);
        this.uploader = new ScriptUploader(s3);
        this.logs = new StepLogs(s3);
        this.waiter = new EmrStepWaiter(emr, logs, config.waitInterval(), config.waitTimeout(), stopping);
    }

    /** An engine with its own SDK clients (default credentials chain, region and endpoint from the config). */
    public static EmrLoadEngine create(EmrConfig config, Path dataDir) {
        return new EmrLoadEngine(config, dataDir, AwsClients.emr(config.region(), config.endpoint()),
                                 AwsClients.s3(config.region(), config.endpoint()), true);
    }

    @Override
    public LoadResult load(LoadRequest request) throws Exception {
        EmrRunState state = EmrRunState.find(stateDir, request.runId(), request.inputSha256())
                .map(found -> {
                    LOG.info("Run {}: resuming EMR run state left by run {} for the same input (cluster {}, step {})",
                             request.runId(), found.runId(), found.clusterId(), found.stepId());
                    return found;
                })
                .orElseGet(() -> {
                    // written before RunJobFlow: a crash in between leaves the run tag to find the cluster by
                    EmrRunState begun = EmrRunState.begin(request.runId(), request.inputSha256(),
                                                          request.parquetUri(), request.csv());
                    begun.write(stateDir);
                    return begun;
                });
        inProgress.put(state.runId(), state);
        try {
            state = submit(state);
            waiter.await(state.clusterId(), state.stepId());
        } catch (Exception | Error e) {
            if (state.stepId() == null && AwsErrors.isTransient(e)) {
                // nothing runs yet: the state stays, and a redelivery or restart finds the cluster by its tag
                inProgress.remove(state.runId());
                throw e;
            }
            finish(inProgress.getOrDefault(state.runId(), state), true);
            throw e;
        }
        try {
            // a job that found its input already in the table: the run ends SKIPPED
            return result(request, state);
        } finally {
            finish(state, false);
        }
    }

    /** The spark-submit command of the step, as a list. */
    public SparkSubmitCommand command(String parquetUri) {
        return SparkJobs.load(config.job(), parquetUri).build();
    }

    /** The step of a run: its job records the run and the input's SHA-256, and skips an input the table holds. */
    SparkSubmitCommand command(EmrRunState state) {
        return SparkJobs.run(config.job(), state.parquetUri(), state.inputSha256(), state.runId(),
                state.convertSpecUri(), state.rejectsUri());
    }

    /** Starting: terminations that an earlier process could not do are tried again. */
    @Override
    protected void doStart() {
        sweepLeftovers();
    }

    /**
     * The app is stopping: terminates the clusters this engine created for runs still in progress (a cluster kept or
     * reused keeps running, with its run state for a restart), then ends their waits, which fail saying so.
     */
    @Override
    public void stopRuns() {
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
        // only now: a wait that ended before its cluster was dealt with above would terminate a cluster kept
        stopping.stop();
    }

    /** Stops the engine ({@link #doStop}). */
    @Override
    public void close() {
        stop();
    }

    /** As {@link #stopRuns()}, then releases the engine's clients. */
    @Override
    protected void doStop() {
        stopRuns();
        if (ownsClients) {
            emr.close();
            s3.close();
        }
    }

    /** Makes sure the state names a cluster and a step, creating or finding each and writing the state after each. */
    private EmrRunState submit(EmrRunState state) throws IOException {
        if (state.clusterId() == null) {
            EmrClusters.Target target = clusters.resolve(state.runId());
            state = state.withCluster(target.clusterId(), target.created());
            state.write(stateDir);
            inProgress.replace(state.runId(), state); // not when stopRuns() has already let the run go
        }
        if (state.stepId() == null) {
            uploader.upload(config.job().scriptPath(), config.job().scriptUri());
            SparkSubmitCommand command = command(state);
            EmrRunState withCluster = state;
            String stepId = submittedStep(withCluster, command).orElseGet(() -> addStep(withCluster, command));
            LOG.info("Run {}: submitted EMR step {} to cluster {}: {}", state.runId(), stepId, state.clusterId(),
                     command);
            state = state.withStep(stepId);
            state.write(stateDir);
            inProgress.replace(state.runId(), state);
        }
        return state;
    }

    /** AddJobFlowSteps is not idempotent either: sent once, and when its answer is lost the step is looked up. */
    private String addStep(EmrRunState state, SparkSubmitCommand command) {
        try {
            return emr.addJobFlowSteps(b -> b.jobFlowId(state.clusterId()).steps(StepConfig.builder()
                    .name(config.stepName())
                    .actionOnFailure(ActionOnFailure.fromValue(config.actionOnFailure().name()))
                    .hadoopJarStep(HadoopJarStepConfig.builder().jar("command-runner.jar")
                                           .args(command.arguments()).build())
                    .build()).overrideConfiguration(o -> o.addPlugin(EmrClusters::sentOnce))).stepIds().get(0);
        } catch (SdkException e) {
            return submittedStep(state, command).orElseThrow(() -> e);
        }
    }

    /** A step with this run's name and arguments submitted to the cluster since the run state was begun. */
    private Optional<String> submittedStep(EmrRunState state, SparkSubmitCommand command) {
        Instant since = Instant.ofEpochMilli(state.startedAtMillis()).minusSeconds(1);
        for (StepSummary step : emr.listStepsPaginator(b -> b.clusterId(state.clusterId())).steps()) {
            if (config.stepName().equals(step.name())
                && command.arguments().equals(step.config().args())
                && !step.status().timeline().creationDateTime().isBefore(since)) {
                return Optional.of(step.id());
            }
        }
        return Optional.empty();
    }

    /** Terminates a created cluster when the run failed, or after success unless keepCluster; forgets the run. */
    private void finish(EmrRunState state, boolean failed) {
        if (inProgress.remove(state.runId()) == null) {
            return; // stopRuns() and a failing wait may both get here; the first one tears down
        }
        if (state.clusterId() != null && state.createdCluster() && (failed || !config.keepCluster())) {
            terminateOrKeep(state);
            return;
        }
        if (state.createdCluster()) {
            LOG.info("Keeping EMR cluster {} (pipeline.emr.keepCluster=true): it bills until terminated",
                     state.clusterId());
        }
        state.delete(stateDir);
    }

    /** Terminates the run's cluster and forgets the run; if that fails, the state is kept for the next start. */
    private boolean terminateOrKeep(EmrRunState state) {
        try {
            clusters.terminate(state.clusterId());
            state.delete(stateDir);
            return true;
        } catch (RuntimeException e) {
            state.withTerminationPending().write(stateDir);
            LOG.error("Could not terminate EMR cluster {} of run {}: {}; kept in {}, the next start tries again",
                      state.clusterId(), state.runId(), e.getMessage(), EmrRunState.file(stateDir, state.runId()));
            return false;
        }
    }

    /**
     * The start-up sweep over the run state a previous process left: terminations that failed are tried again, and
     * states whose cluster has ended are removed. A state whose cluster still runs waits for its input to return.
     */
    public void sweepLeftovers() {
        for (EmrRunState state : EmrRunState.all(stateDir)) {
            if (state.terminationPending()) {
                if (terminateOrKeep(state)) {
                    LOG.info("Terminated EMR cluster {} that run {} could not terminate", state.clusterId(),
                             state.runId());
                }
            } else if (state.clusterId() != null && clusterEnded(state.clusterId())) {
                LOG.info("Removing EMR run state of run {}: cluster {} has ended", state.runId(), state.clusterId());
                state.delete(stateDir);
            }
        }
    }

    private boolean clusterEnded(String clusterId) {
        try {
            ClusterState clusterState = emr.describeCluster(b -> b.clusterId(clusterId)).cluster().status().state();
            return clusterState == ClusterState.TERMINATED || clusterState == ClusterState.TERMINATED_WITH_ERRORS;
        } catch (SdkException e) {
            LOG.warn("Cannot tell whether EMR cluster {} has ended, its run state stays: {}", clusterId,
                     e.getMessage());
            return false;
        }
    }

    private LoadResult result(LoadRequest request, EmrRunState state) {
        Cluster cluster = emr.describeCluster(b -> b.clusterId(state.clusterId())).cluster();
        Optional<LoadSummary> summary = logs.lines(cluster.logUri(), state.clusterId(), state.stepId(), "stdout.gz")
                .flatMap(LoadSummary::find);
        return SparkJobs.result(config.job(), request, summary, "EMR");
    }
}
