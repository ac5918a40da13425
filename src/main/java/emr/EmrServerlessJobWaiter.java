package emr;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import aws.AwsWait;
import aws.StopSignal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import s3.S3Location;
import software.amazon.awssdk.services.emrserverless.EmrServerlessClient;
import software.amazon.awssdk.services.emrserverless.model.JobRun;
import software.amazon.awssdk.services.emrserverless.model.JobRunState;

/**
 * The EMR Serverless wait, on the app's one wait helper ({@link AwsWait}) as the EMR step's: polls the job run every
 * interval until SUCCESS, logs each state change with the elapsed time, throws on FAILED or CANCELLED with the
 * driver's stderr tail, and cancels the job run (CancelJobRun) when the timeout passes or the app stops, so that it
 * does not run, and bill, with nobody waiting for it. Transient API errors are asked again.
 */
public final class EmrServerlessJobWaiter {

    private static final Logger LOG = LoggerFactory.getLogger(EmrServerlessJobWaiter.class);
    /** The job's {@code ERROR:} line, or the last line of a Python traceback ({@code ...Exception: ...}). */
    private static final Pattern JOB_ERROR = Pattern.compile("^(ERROR:|[\\w.]+(Error|Exception): )");
    private static final Set<JobRunState> FAILED = Set.of(JobRunState.FAILED, JobRunState.CANCELLED);
    static final int STDERR_TAIL_LINES = 30;

    private final EmrServerlessClient emr;
    private final StepLogs logs;
    private final String logUri;
    private final Duration interval;
    private final Duration timeout;
    private final StopSignal stop;
    /** Job runs this app cancelled: each is cancelled once, and one seen CANCELLED then was stopped, not failed. */
    private final Set<String> cancelled = ConcurrentHashMap.newKeySet();

    public EmrServerlessJobWaiter(EmrServerlessClient emr, StepLogs logs, String logUri, Duration interval,
                                  Duration timeout, StopSignal stop) {
        this.emr = emr;
        this.logs = logs;
        this.logUri = logUri;
        this.interval = interval;
        this.timeout = timeout;
        this.stop = stop;
    }

    /** Waits for the job run to succeed and returns it; the job run is cancelled when the wait gives up. */
    public JobRun await(String applicationId, String jobRunId) throws Exception {
        String what = "EMR Serverless job run " + jobRunId + " on application " + applicationId;
        return AwsWait.polling(what, () -> emr.getJobRun(b -> b.applicationId(applicationId).jobRunId(jobRunId))
                        .jobRun())
                .every(interval)
                .atMost(timeout, last -> new EmrServerlessJobFailedException(what + " did not end within"
                        + " pipeline.emrServerless.waitTimeout=" + timeout + " (last state " + stateOf(last)
                        + "); it was cancelled", applicationId, jobRunId))
                .until(run -> succeeded(run, what))
                .logging(run -> what + " is " + run.stateAsString(), " (" + consoleUrl(applicationId) + ")")
                .stoppedBy(stop, last -> new EmrServerlessJobFailedException("Stopped waiting for " + what
                        + ": the app is stopping; the job run was cancelled", applicationId, jobRunId))
                .cancelling(() -> cancel(applicationId, jobRunId))
                .askingAgainOnTransientErrors()
                .await();
    }

    /** Whether the job run succeeded; throws when it ended otherwise. */
    private boolean succeeded(JobRun run, String what) {
        if (run.state() == JobRunState.SUCCESS) {
            return true;
        }
        if (run.state() == JobRunState.CANCELLED && cancelled.contains(run.jobRunId())) {
            // the app's stop cancelled it before the wait heard of the stop
            throw new EmrServerlessJobFailedException("Stopped waiting for " + what + ": the app is stopping; the"
                    + " job run was cancelled", run.applicationId(), run.jobRunId());
        }
        if (FAILED.contains(run.state())) {
            throw failed(run);
        }
        return false;
    }

    /** Cancels the job run, once: the app is stopping, or the wait gave up on it. */
    public void cancel(String applicationId, String jobRunId) {
        if (!cancelled.add(jobRunId)) {
            return;
        }
        try {
            LOG.warn("Cancelling EMR Serverless job run {} on application {}", jobRunId, applicationId);
            emr.cancelJobRun(b -> b.applicationId(applicationId).jobRunId(jobRunId));
        } catch (RuntimeException e) {
            LOG.error("Could not cancel EMR Serverless job run {} on application {}: {}; cancel it in the console",
                      jobRunId, applicationId, e.getMessage());
        }
    }

    private static String stateOf(JobRun run) {
        return run == null ? "unknown" : run.stateAsString();
    }

    /** The application's page in the AWS console, where its job runs, their logs and Spark UI are. */
    String consoleUrl(String applicationId) {
        String region = emr.serviceClientConfiguration().region().id();
        // the region in the host name only: a query string would be masked in the log as a possible secret
        return "https://" + region + ".console.aws.amazon.com/emr/home#/serverless/applications/" + applicationId;
    }

    private EmrServerlessJobFailedException failed(JobRun run) {
        StringBuilder message = new StringBuilder("EMR Serverless job run ").append(run.jobRunId()).append(" (")
                .append(run.name()).append(") ended ").append(run.stateAsString()).append(" on application ")
                .append(run.applicationId());
        if (run.stateDetails() != null && !run.stateDetails().isBlank()) {
            message.append("; ").append(run.stateDetails());
        }
        S3Location driver = driverLogs(run.applicationId(), run.jobRunId());
        message.append("; logs: ").append(driver);
        // the Python driver's own error lines: its stdout carries what the job prints before it exits
        logs.lines(driver.resolve("stdout.gz"))
                .map(lines -> lines.stream().filter(line -> JOB_ERROR.matcher(line).find()).limit(10).toList())
                .filter(errors -> !errors.isEmpty())
                .ifPresent(errors -> message.append("\nerrors in stdout:\n").append(String.join("\n", errors)));
        logs.tail(driver.resolve("stderr.gz"), STDERR_TAIL_LINES)
                .filter(tail -> !tail.isBlank())
                .ifPresent(tail -> message.append("\nlast lines of the driver's stderr:\n").append(tail));
        return new EmrServerlessJobFailedException(message.toString(), run.applicationId(), run.jobRunId());
    }

    /** Where EMR Serverless puts the driver's logs under the S3 monitoring log URI. */
    S3Location driverLogs(String applicationId, String jobRunId) {
        return S3Location.parse(logUri).resolve("applications", applicationId, "jobs", jobRunId, "SPARK_DRIVER");
    }

    /** The driver's stdout, where the job prints its LOAD_SUMMARY line. */
    List<String> driverStdout(String applicationId, String jobRunId) {
        return logs.lines(driverLogs(applicationId, jobRunId).resolve("stdout.gz")).orElse(List.of());
    }
}
