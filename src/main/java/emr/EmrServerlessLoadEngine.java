package emr;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import aws.AwsErrors;
import aws.StopSignal;
import config.EmrConfig;
import config.EmrServerlessConfig;
import core.DataDirLayout;
import lake.LoadEngine;
import lake.LoadRequest;
import lake.LoadResult;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.emrserverless.EmrServerlessClient;
import software.amazon.awssdk.services.emrserverless.model.JobRunState;
import software.amazon.awssdk.services.emrserverless.model.StartJobRunRequest;
import software.amazon.awssdk.services.s3.S3Client;
import spark.LoadSummary;
import spark.SparkSubmitCommand;

/**
 * Load engine {@code emr-serverless}: runs pyspark/load_to_iceberg.py as a job run of an EMR Serverless application
 * it reuses or creates, with the EMR step's packages, catalog configuration and arguments ({@link SparkJobs}), and
 * waits for it. Cost safety: the job run is cancelled when the wait times out or the app stops; an application this
 * app started is stopped after the run once no job run uses it (unless {@code keepApplicationStarted}), and a created
 * one stops itself after its idle timeout in any case. Starting the engine ({@link #sweepLeftovers()}) stops the
 * applications that a killed process had started and left idle.
 */
public final class EmrServerlessLoadEngine extends ServiceSupport implements LoadEngine {

    private static final Logger LOG = LoggerFactory.getLogger(EmrServerlessLoadEngine.class);
    private static final Set<JobRunState> ENDED = Set.of(JobRunState.SUCCESS, JobRunState.FAILED,
                                                          JobRunState.CANCELLED);

    private final EmrServerlessConfig config;
    private final Path stateDir;
    private final EmrServerlessClient emr;
    private final S3Client s3;
    private final boolean ownsClients;
    private final ScriptUploader uploader;
    private final EmrServerlessApplications applications;
    private final EmrServerlessJobWaiter waiter;
    private final Map<String, EmrServerlessRunState> inProgress = new ConcurrentHashMap<>();
    /** Applications this app started and has not stopped yet: the last run to end on one stops it. */
    private final Set<String> started = ConcurrentHashMap.newKeySet();
    private final StopSignal stopping = new StopSignal();

    public EmrServerlessLoadEngine(EmrServerlessConfig config, Path dataDir, EmrServerlessClient emr, S3Client s3) {
        this(config, dataDir, emr, s3, false);
    }

    private EmrServerlessLoadEngine(EmrServerlessConfig config, Path dataDir, EmrServerlessClient emr, S3Client s3,
                                    boolean ownsClients) {
        this.config = config;
        this.stateDir = DataDirLayout.state(dataDir);
        this.emr = emr;
        this.s3 = s3;
        this.ownsClients = ownsClients;
        this.uploader = new ScriptUploader(s3);
        this.applications = new EmrServerlessApplications(emr, config, stopping);
        this.waiter = new EmrServerlessJobWaiter(emr, new StepLogs(s3), config.logUri(), config.waitInterval(),
                                                 config.waitTimeout(), stopping);
    }

    /** An engine with its own SDK clients (default credentials chain, region and endpoint from the config). */
    public static EmrServerlessLoadEngine create(EmrServerlessConfig config, Path dataDir) {
        return new EmrServerlessLoadEngine(config, dataDir, client(config.region(), config.endpoint()),
                                           AwsClients.s3(config.region(), config.endpoint()), true);
    }

    static EmrServerlessClient client(Optional<String> region, Optional<URI> endpoint) {
        var builder = EmrServerlessClient.builder();
        region.map(Region::of).ifPresent(builder::region);
        endpoint.ifPresent(builder::endpointOverride);
        return builder.build();
    }

    @Override
    public LoadResult load(LoadRequest request) throws Exception {
        EmrServerlessRunState state = EmrServerlessRunState.find(stateDir, request.runId(), request.inputSha256())
                .map(found -> {
                    LOG.info("Run {}: resuming EMR Serverless run state left by run {} for the same input"
                             + " (application {}, job run {})", request.runId(), found.runId(),
                             found.applicationId(), found.jobRunId());
                    return found;
                })
                .orElseGet(() -> {
                    EmrServerlessRunState begun = EmrServerlessRunState.begin(request.runId(), request.inputSha256(),
                                                                              request.parquetUri(), request.csv());
                    begun.write(stateDir);
                    return begun;
                });
        inProgress.put(state.runId(), state);
        try {
            state = submit(state);
            waiter.await(state.applicationId(), state.jobRunId());
        } catch (Exception | Error e) {
            if (state.jobRunId() == null && AwsErrors.isTransient(e)) {
                // nothing runs yet: the state stays, and a redelivery or restart sends StartJobRun with its token
                inProgress.remove(state.runId());
                throw e;
            }
            finish(inProgress.getOrDefault(state.runId(), state));
            throw e;
        }
        try {
            // a job that found its input already in the table: the run ends SKIPPED
            Optional<LoadSummary> summary = LoadSummary.find(waiter.driverStdout(state.applicationId(),
                                                                                 state.jobRunId()));
            return SparkJobs.result(config.job(), request, summary, "EMR Serverless");
        } finally {
            finish(state);
        }
    }

    /** The job run's spark-submit, as EMR's step would run it. */
    public SparkSubmitCommand command(EmrServerlessRunState state) {
        return SparkJobs.run(config.job(), state.parquetUri(), state.inputSha256(), state.runId(),
                state.convertSpecUri(), state.rejectsUri());
    }

    /** Makes sure the state names a started application and a job run, writing the state after each. */
    private EmrServerlessRunState submit(EmrServerlessRunState state) throws Exception {
        if (state.applicationId() == null) {
            EmrServerlessApplications.Target target = applications.resolve();
            if (target.started()) {
                started.add(target.applicationId());
            }
            state = state.withApplication(target.applicationId(), target.started());
            state.write(stateDir);
            inProgress.replace(state.runId(), state);
        }
        if (state.jobRunId() == null) {
            uploader.upload(config.job().scriptPath(), config.job().scriptUri());
            SparkSubmitCommand command = command(state);
            String jobRunId = emr.startJobRun(startJobRunRequest(state, command)).jobRunId();
            LOG.info("Run {}: started EMR Serverless job run {} on application {}: {}", state.runId(), jobRunId,
                     state.applicationId(), command);
            state = state.withJobRun(jobRunId);
            state.write(stateDir);
            inProgress.replace(state.runId(), state);
        }
        return state;
    }

    /** The job run: the step's spark-submit split into entry point, its arguments and spark-submit's options. */
    StartJobRunRequest startJobRunRequest(EmrServerlessRunState state, SparkSubmitCommand command) {
        return StartJobRunRequest.builder()
                .applicationId(state.applicationId())
                // the same token again (a retry, a restart) answers the job run it started, not a second one
                .clientToken(state.clientToken())
                .executionRoleArn(config.executionRoleArn())
                .name(config.jobName())
                .jobDriver(d -> d.sparkSubmit(s -> s.entryPoint(command.script())
                        .entryPointArguments(command.scriptArguments())
                        .sparkSubmitParameters(command.sparkSubmitParameters())))
                .configurationOverrides(o -> o.monitoringConfiguration(m -> m.s3MonitoringConfiguration(
                        l -> l.logUri(config.logUri()))))
                // EMR Serverless ends the job itself should this app die while it runs (at least 5 minutes)
                .executionTimeoutMinutes(Math.max(5L, (config.waitTimeout().toSeconds() + 59) / 60))
                .tags(Map.of("app", EmrConfig.APP_NAME, EmrConfig.RUN_TAG, state.runId()))
                .build();
    }

    /** Starting: applications a killed process started and left idle are stopped. */
    @Override
    protected void doStart() {
        sweepLeftovers();
    }

    /** The app is stopping: cancels the job runs still waited on and stops what they started, then ends the waits. */
    @Override
    public void stopRuns() {
        for (EmrServerlessRunState state : List.copyOf(inProgress.values())) {
            if (state.jobRunId() != null) {
                LOG.warn("Stopping while run {} waits on EMR Serverless job run {}: cancelling it", state.runId(),
                         state.jobRunId());
                waiter.cancel(state.applicationId(), state.jobRunId());
                finish(state);
            }
        }
        stopping.stop();
    }

    /** Stops the engine ({@link #doStop}). */
    @Override
    public void close() {
        stop();
    }

    @Override
    protected void doStop() {
        stopRuns();
        if (ownsClients) {
            emr.close();
            s3.close();
        }
    }

    /** Forgets the run; stops the application this app started when nothing else uses it, unless kept. */
    private void finish(EmrServerlessRunState state) {
        if (inProgress.remove(state.runId()) == null) {
            return; // stopRuns() and a failing wait may both get here; the first one tears down
        }
        String id = state.applicationId();
        boolean ours = id != null && (state.startedApplication() || started.contains(id));
        boolean otherRunsOnIt = inProgress.values().stream().anyMatch(s -> id != null && id.equals(s.applicationId()));
        if (!ours || otherRunsOnIt) {
            state.delete(stateDir);
            return;
        }
        if (config.keepApplicationStarted()) {
            LOG.info("Keeping EMR Serverless application {} started (pipeline.emrServerless.keepApplicationStarted"
                     + "=true): it stops itself after {} idle", id, config.autoStopIdleTimeout());
            started.remove(id);
            state.delete(stateDir);
            return;
        }
        stopOrKeep(state);
    }

    /** Stops the run's application and forgets the run; if that fails, the state is kept for the next start. */
    private boolean stopOrKeep(EmrServerlessRunState state) {
        try {
            if (!applications.stopIfIdle(state.applicationId())) {
                state.delete(stateDir);
                return false; // someone else's job run holds it: it stops itself once idle
            }
            started.remove(state.applicationId());
            state.delete(stateDir);
            return true;
        } catch (RuntimeException e) {
            state.withStopPending().write(stateDir);
            LOG.error("Could not stop EMR Serverless application {} of run {}: {}; kept in {}, the next start tries"
                      + " again", state.applicationId(), state.runId(), e.getMessage(),
                      EmrServerlessRunState.file(stateDir, state.runId()));
            return false;
        }
    }

    /**
     * The start-up sweep over the run state a previous process left: stops that failed are tried again, and an
     * application that a killed run started is stopped once its job run has ended (or never started). A state whose
     * job run still runs waits for its input to return.
     */
    public void sweepLeftovers() {
        for (EmrServerlessRunState state : EmrServerlessRunState.all(stateDir)) {
            try {
                if (state.applicationId() == null) {
                    state.delete(stateDir); // nothing reached EMR Serverless but, at most, the application
                } else if (state.stopPending()
                           || state.jobRunId() == null || ENDED.contains(jobRunState(state))) {
                    if (!state.startedApplication()) {
                        state.delete(stateDir);
                    } else if (stopOrKeep(state)) {
                        LOG.info("Stopped EMR Serverless application {} that run {} had started", state.applicationId(),
                                 state.runId());
                    }
                }
            } catch (SdkException e) {
                LOG.warn("Cannot tell what became of EMR Serverless run {} (application {}, job run {}), its run"
                         + " state stays: {}", state.runId(), state.applicationId(), state.jobRunId(), e.getMessage());
            }
        }
    }

    private JobRunState jobRunState(EmrServerlessRunState state) {
        return emr.getJobRun(b -> b.applicationId(state.applicationId()).jobRunId(state.jobRunId())).jobRun().state();
    }
}
