package emr;

import java.util.Comparator;
import java.util.Optional;
import java.util.Set;

import aws.AwsWait;
import aws.StopSignal;
import config.EmrConfig;
import config.EmrServerlessConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.emrserverless.EmrServerlessClient;
import software.amazon.awssdk.services.emrserverless.model.Application;
import software.amazon.awssdk.services.emrserverless.model.ApplicationState;
import software.amazon.awssdk.services.emrserverless.model.ApplicationSummary;
import software.amazon.awssdk.services.emrserverless.model.CreateApplicationRequest;
import software.amazon.awssdk.services.emrserverless.model.JobRunState;

/**
 * Finds the application a run uses: the one given by id, the newest one with the name to reuse, the one this app
 * created before (its name and the app's tag), or a new one; and starts it when it is not started, saying so, since
 * the run that started it stops it. CreateApplication carries a client token, so the SDK's retry of a lost answer
 * makes no second application.
 */
public final class EmrServerlessApplications {

    private static final Logger LOG = LoggerFactory.getLogger(EmrServerlessApplications.class);
    private static final Set<ApplicationState> GONE = Set.of(ApplicationState.TERMINATED);
    private static final Set<ApplicationState> CHANGING = Set.of(ApplicationState.CREATING,
                                                                   ApplicationState.STOPPING);
    /** Job runs that still hold the application: it is not stopped under them. */
    private static final Set<JobRunState> ACTIVE = Set.of(JobRunState.SUBMITTED, JobRunState.PENDING,
            JobRunState.SCHEDULED, JobRunState.RUNNING, JobRunState.QUEUED, JobRunState.CANCELLING);

    /** The application to use, and whether this app started it (and so must stop it once nothing uses it). */
    public record Target(String applicationId, boolean started) {
    }

    private final EmrServerlessClient emr;
    private final EmrServerlessConfig config;
    private final StopSignal stop;

    public EmrServerlessApplications(EmrServerlessClient emr, EmrServerlessConfig config, StopSignal stop) {
        this.emr = emr;
        this.config = config;
        this.stop = stop;
    }

    /** The application, started. */
    public Target resolve() throws Exception {
        String id;
        if (config.applicationId().isPresent()) {
            id = config.applicationId().get();
            checkUsable(emr.getApplication(b -> b.applicationId(id)).application(),
                        "pipeline.emrServerless.applicationId=" + id);
            LOG.info("Reusing EMR Serverless application {}", id);
        } else if (config.reuseApplicationName().isPresent()) {
            String name = config.reuseApplicationName().get();
            id = newestNamed(name, false).orElseThrow(() -> new IllegalStateException(
                    "pipeline.emrServerless.reuseApplicationName=" + name
                    + ": no EMR Serverless application with that name exists (or all are TERMINATED)"));
            LOG.info("Reusing EMR Serverless application {} found by name '{}'", id, name);
        } else {
            Optional<String> created = newestNamed(config.applicationName(), true);
            if (created.isPresent()) {
                id = created.get();
                LOG.info("Reusing EMR Serverless application {} ('{}') that this app created before", id,
                         config.applicationName());
            } else {
                id = emr.createApplication(createRequest()).applicationId();
                LOG.info("Created EMR Serverless application {} ('{}', {}, auto-stop after {} idle)", id,
                         config.applicationName(), config.releaseLabel(), config.autoStopIdleTimeout());
            }
        }
        return new Target(id, start(id));
    }

    /** Starts the application unless it is started or starting; true when this call started it. */
    private boolean start(String id) throws Exception {
        Application application = AwsWait.polling("EMR Serverless application " + id,
                        () -> emr.getApplication(b -> b.applicationId(id)).application())
                .every(config.waitInterval())
                .atMost(config.waitTimeout(), last -> new IllegalStateException("EMR Serverless application " + id
                        + " stayed " + last.stateAsString() + " for pipeline.emrServerless.waitTimeout="
                        + config.waitTimeout()))
                .until(app -> !CHANGING.contains(app.state()))
                .logging(app -> "EMR Serverless application " + id + " is " + app.stateAsString(), "")
                .stoppedBy(stop, last -> new IllegalStateException("Stopped waiting for EMR Serverless application "
                        + id + ": the app is stopping"))
                .askingAgainOnTransientErrors()
                .await();
        checkUsable(application, "EMR Serverless application " + id);
        if (application.state() == ApplicationState.CREATED || application.state() == ApplicationState.STOPPED) {
            emr.startApplication(b -> b.applicationId(id));
            LOG.info("Started EMR Serverless application {} (it was {}); it is stopped again after the run", id,
                     application.stateAsString());
            return true;
        }
        return false;
    }

    /**
     * Stops the application unless a job run still holds it (another run of this app, or anyone's); true when it was
     * stopped or is stopped already.
     */
    public boolean stopIfIdle(String id) {
        Application application = emr.getApplication(b -> b.applicationId(id)).application();
        if (Set.of(ApplicationState.STOPPED, ApplicationState.STOPPING, ApplicationState.CREATED,
                   ApplicationState.TERMINATED).contains(application.state())) {
            return true;
        }
        long active = emr.listJobRunsPaginator(b -> b.applicationId(id).states(ACTIVE)).jobRuns().stream().count();
        if (active > 0) {
            LOG.info("Not stopping EMR Serverless application {}: {} job run(s) still use it; it stops itself after"
                     + " {} idle", id, active, config.autoStopIdleTimeout());
            return false;
        }
        LOG.info("Stopping EMR Serverless application {}", id);
        emr.stopApplication(b -> b.applicationId(id));
        return true;
    }

    /** Whether the application's state is one a job run can no longer change (TERMINATED) or it is gone. */
    public boolean gone(String id) {
        return GONE.contains(emr.getApplication(b -> b.applicationId(id)).application().state());
    }

    private static void checkUsable(Application application, String what) {
        if (GONE.contains(application.state())) {
            throw new IllegalStateException(what + " cannot take job runs, it is " + application.stateAsString());
        }
        if (!"SPARK".equalsIgnoreCase(application.type())) {
            throw new IllegalStateException(what + " is a " + application.type() + " application; the job needs"
                                            + " a SPARK one");
        }
    }

    /** The newest application not TERMINATED with the name; {@code ownOnly}: only one carrying the app's tag. */
    private Optional<String> newestNamed(String name, boolean ownOnly) {
        return emr.listApplicationsPaginator(b -> { }).applications().stream()
                .filter(a -> name.equals(a.name()) && !GONE.contains(a.state()))
                .filter(a -> !ownOnly || EmrConfig.APP_NAME.equals(emr.getApplication(b -> b.applicationId(a.id()))
                        .application().tags().get("app")))
                .max(Comparator.comparing(ApplicationSummary::createdAt))
                .map(ApplicationSummary::id);
    }

    CreateApplicationRequest createRequest() {
        var request = CreateApplicationRequest.builder()
                .name(config.applicationName())
                .releaseLabel(config.releaseLabel())
                .type("SPARK")
                .autoStartConfiguration(b -> b.enabled(config.autoStart()))
                // a crashed app cannot stop what it started: the application stops itself once idle
                .autoStopConfiguration(b -> b.enabled(true)
                        .idleTimeoutMinutes((int) config.autoStopIdleTimeout().toMinutes()))
                .tags(config.applicationTags());
        if (!config.maximumCapacity().isEmpty()) {
            request.maximumCapacity(b -> b.cpu(config.maximumCapacity().get("cpu"))
                    .memory(config.maximumCapacity().get("memory"))
                    .disk(config.maximumCapacity().get("disk")));
        }
        return request.build();
    }
}
