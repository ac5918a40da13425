package emr;

import java.time.Duration;

/** The step did not finish within pipeline.emr.waitTimeout. */
public class EmrWaitTimeoutException extends RuntimeException {

    public EmrWaitTimeoutException(String clusterId, String stepId, String lastState, Duration timeout) {
        super("EMR step " + stepId + " on cluster " + clusterId + " did not finish within pipeline.emr.waitTimeout="
              + timeout + " (last state " + lastState + ")");
    }
}
