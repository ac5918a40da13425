package emr;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.emr.EmrClient;
import software.amazon.awssdk.services.emr.model.Cluster;
import software.amazon.awssdk.services.emr.model.ClusterState;
import software.amazon.awssdk.services.emr.model.FailureDetails;
import software.amazon.awssdk.services.emr.model.Step;
import software.amazon.awssdk.services.emr.model.StepState;

/**
 * The one helper for the long EMR wait: polls the step and its cluster every interval until the step completes, logs
 * each state change with the elapsed time, and throws on a failure state or when the timeout passes. A transient API
 * error (throttling, 5xx, I/O) is asked again here with a growing pause, never thrown: a throw would end the run, and
 * its cluster, over a step that still runs. {@link #stop()} (the app stopping) ends every wait at once.
 */
public final class EmrStepWaiter {

    /** The job's {@code ERROR:} line, or the last line of a Python traceback ({@code ...Exception: ...}). */
    private static final Pattern JOB_ERROR =
            Pattern.compile("^(ERROR:|[\\w.]+(Error|Exception): )");

    private static final Logger LOG = LoggerFactory.getLogger(EmrStepWaiter.class);
    private static final Set<StepState> FAILED = Set.of(StepState.FAILED, StepState.CANCELLED, StepState.INTERRUPTED);
    private static final Set<ClusterState> GONE =
            Set.of(ClusterState.TERMINATING, ClusterState.TERMINATED, ClusterState.TERMINATED_WITH_ERRORS);
    static final int STDERR_TAIL_LINES = 30;

    private final EmrClient emr;
    private final StepLogs logs;
    private final Duration interval;
    private final Duration timeout;
    private final CountDownLatch stopped = new CountDownLatch(1);

    public EmrStepWaiter(EmrClient emr, StepLogs logs, Duration interval, Duration timeout) {
        this.emr = emr;
        this.logs = logs;
        this.interval = interval;
        this.timeout = timeout;
    }

    /** Waits for the step to complete and returns it; the cluster's log URI is read from the cluster itself. */
    public Step await(String clusterId, String stepId) throws InterruptedException {
        long start = System.nanoTime();
        String lastStepState = null;
        String lastClusterState = null;
        LOG.info("waiting for EMR step {} on cluster {}: {}", stepId, clusterId, consoleUrl(clusterId));
        int failedPolls = 0;
        while (true) {
            failIfStopped(clusterId, stepId);
            Cluster cluster;
            Step step;
            try {
                cluster = emr.describeCluster(b -> b.clusterId(clusterId)).cluster();
                step = emr.describeStep(b -> b.clusterId(clusterId).stepId(stepId)).step();
                failedPolls = 0;
            } catch (SdkException e) {
                failIfStopped(clusterId, stepId);
                Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
                if (!AwsErrors.isTransient(e) || elapsed.compareTo(timeout) >= 0) {
                    throw e;
                }
                failedPolls++;
                Duration pause = backoff(failedPolls);
                LOG.warn("Asking EMR about step {} on cluster {} failed ({} time(s) in a row), asking again in {} ms:"
                         + " {}", stepId, clusterId, failedPolls, pause.toMillis(), e.getMessage());
                pause(Math.min(pause.toMillis(), timeout.minus(elapsed).toMillis() + 1));
                continue;
            }
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            String stepState = step.status().stateAsString();
            String clusterState = cluster.status().stateAsString();
            if (!stepState.equals(lastStepState) || !clusterState.equals(lastClusterState)) {
                LOG.info("EMR step {} is {} on cluster {} ({}) after {}s", stepId, stepState, clusterId, clusterState,
                         elapsed.toSeconds());
                lastStepState = stepState;
                lastClusterState = clusterState;
            }
            if (step.status().state() == StepState.COMPLETED) {
                return step;
            }
            failIfStopped(clusterId, stepId); // a step cancelled, or a cluster terminated, by the stop
            if (FAILED.contains(step.status().state())) {
                throw stepFailed(cluster, step);
            }
            if (GONE.contains(cluster.status().state())) {
                throw clusterGone(cluster, step);
            }
            if (elapsed.compareTo(timeout) >= 0) {
                throw new EmrWaitTimeoutException(clusterId, stepId, stepState, timeout);
            }
            pause(Math.min(interval.toMillis(), timeout.minus(elapsed).toMillis() + 1));
        }
    }

    /** The app is stopping: every wait, now or later, ends with a failure that says so. */
    public void stop() {
        stopped.countDown();
    }

    private void pause(long millis) throws InterruptedException {
        stopped.await(millis, TimeUnit.MILLISECONDS);
    }

    private void failIfStopped(String clusterId, String stepId) {
        if (stopped.getCount() == 0) {
            throw new EmrStepFailedException("Stopped waiting for EMR step " + stepId + " on cluster " + clusterId
                                             + ": the app is stopping", clusterId, stepId);
        }
    }

    /** The interval, doubled for each failure in a row, at most 16 intervals or 5 minutes, whichever is longer. */
    Duration backoff(int failedPolls) {
        Duration max = interval.multipliedBy(16).compareTo(Duration.ofMinutes(5)) > 0 ? interval.multipliedBy(16)
                : Duration.ofMinutes(5);
        Duration pause = interval.multipliedBy(1L << Math.min(failedPolls - 1, 16));
        return pause.compareTo(max) > 0 ? max : pause;
    }

    /** The cluster's page in the AWS console, where its steps, logs and Spark UI are. */
    String consoleUrl(String clusterId) {
        String region = emr.serviceClientConfiguration().region().id();
        // the region in the host name only: a query string would be masked in the log as a possible secret
        return "https://" + region + ".console.aws.amazon.com/emr/home#/clusterDetails/"
               + clusterId;
    }

    private EmrStepFailedException stepFailed(Cluster cluster, Step step) {
        StringBuilder message = new StringBuilder("EMR step ").append(step.id()).append(" (").append(step.name())
                .append(") ended ").append(step.status().stateAsString()).append(" on cluster ").append(cluster.id());
        FailureDetails failure = step.status().failureDetails();
        if (failure != null) {
            append(message, "reason", failure.reason());
            append(message, "message", failure.message());
            append(message, "log file", failure.logFile());
        } else if (step.status().stateChangeReason() != null) {
            append(message, "message", step.status().stateChangeReason().message());
        }
        appendStderr(message, cluster, step);
        return new EmrStepFailedException(message.toString(), cluster.id(), step.id());
    }

    private EmrStepFailedException clusterGone(Cluster cluster, Step step) {
        StringBuilder message = new StringBuilder("EMR cluster ").append(cluster.id()).append(" is ")
                .append(cluster.status().stateAsString()).append(" while step ").append(step.id()).append(" was ")
                .append(step.status().stateAsString());
        if (cluster.status().stateChangeReason() != null) {
            append(message, "reason", cluster.status().stateChangeReason().codeAsString());
            append(message, "message", cluster.status().stateChangeReason().message());
        }
        appendStderr(message, cluster, step);
        return new EmrStepFailedException(message.toString(), cluster.id(), step.id());
    }

    private void appendStderr(StringBuilder message, Cluster cluster, Step step) {
        // spark-submit passes the Python driver's stderr to its stdout: the job's own error lines are there
        logs.lines(cluster.logUri(), cluster.id(), step.id(), "stdout.gz")
                .map(lines -> lines.stream().filter(line -> JOB_ERROR.matcher(line).find()).limit(10).toList())
                .filter(errors -> !errors.isEmpty())
                .ifPresent(errors -> message.append("\nerrors in stdout:\n").append(String.join("\n", errors)));
        logs.tail(cluster.logUri(), cluster.id(), step.id(), "stderr.gz", STDERR_TAIL_LINES)
                .filter(tail -> !tail.isBlank())
                .ifPresent(tail -> message.append("\nlast lines of stderr:\n").append(tail));
    }

    private static void append(StringBuilder message, String label, String value) {
        if (value != null && !value.isBlank()) {
            message.append("; ").append(label).append(": ").append(value);
        }
    }
}
