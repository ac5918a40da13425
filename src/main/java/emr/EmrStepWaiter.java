package emr;

import java.time.Duration;
import java.util.Set;
import java.util.regex.Pattern;

import aws.AwsWait;
import aws.StopSignal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.emr.EmrClient;
import software.amazon.awssdk.services.emr.model.Cluster;
import software.amazon.awssdk.services.emr.model.ClusterState;
import software.amazon.awssdk.services.emr.model.FailureDetails;
import software.amazon.awssdk.services.emr.model.Step;
import software.amazon.awssdk.services.emr.model.StepState;

/**
 * The EMR wait, on the app's one wait helper ({@link AwsWait}): polls the step and its cluster every interval until
 * the step completes, logs each state change with the elapsed time, and throws on a failure state of either, when the
 * timeout passes, or when the app stops. A transient API error (throttling, 5xx, I/O) is asked again with a growing
 * pause, never thrown: a throw would end the run, and its cluster, over a step that still runs. Ending the cluster
 * of a wait that gave up is the engine's ({@link EmrLoadEngine}), which knows whether it created it.
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
    private final StopSignal stop;

    public EmrStepWaiter(EmrClient emr, StepLogs logs, Duration interval, Duration timeout) {
        this(emr, logs, interval, timeout, new StopSignal());
    }

    /** {@code stop}: the app's stop, which ends the wait at once. */
    public EmrStepWaiter(EmrClient emr, StepLogs logs, Duration interval, Duration timeout, StopSignal stop) {
        this.emr = emr;
        this.logs = logs;
        this.interval = interval;
        this.timeout = timeout;
        this.stop = stop;
    }

    /** What one poll sees: the step and its cluster. */
    private record Seen(Cluster cluster, Step step) {
    }

    /** Waits for the step to complete and returns it; the cluster's log URI is read from the cluster itself. */
    public Step await(String clusterId, String stepId) throws Exception {
        String console = consoleUrl(clusterId);
        LOG.info("waiting for EMR step {} on cluster {}: {}", stepId, clusterId, console);
        return AwsWait.polling("EMR step " + stepId + " on cluster " + clusterId, () -> new Seen(
                        emr.describeCluster(b -> b.clusterId(clusterId)).cluster(),
                        emr.describeStep(b -> b.clusterId(clusterId).stepId(stepId)).step()))
                .every(interval)
                .atMost(timeout, last -> new EmrWaitTimeoutException(clusterId, stepId, stateOf(last), timeout))
                .until(this::completed)
                .logging(seen -> "EMR step " + stepId + " is " + stateOf(seen) + " on cluster " + clusterId + " ("
                                 + seen.cluster().status().stateAsString() + ")", "")
                .stoppedBy(stop, last -> new EmrStepFailedException("Stopped waiting for EMR step " + stepId
                        + " on cluster " + clusterId + ": the app is stopping", clusterId, stepId))
                .askingAgainOnTransientErrors()
                .await()
                .step();
    }

    /** Whether the step completed; throws when it or its cluster ended otherwise. */
    private boolean completed(Seen seen) {
        Step step = seen.step();
        if (step.status().state() == StepState.COMPLETED) {
            return true;
        }
        if (FAILED.contains(step.status().state())) {
            throw stepFailed(seen.cluster(), step);
        }
        if (GONE.contains(seen.cluster().status().state())) {
            throw clusterGone(seen.cluster(), step);
        }
        return false;
    }

    private static String stateOf(Seen seen) {
        return seen == null ? "unknown" : seen.step().status().stateAsString();
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
