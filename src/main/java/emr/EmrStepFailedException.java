package emr;

/** The Spark step or its cluster ended badly; the message carries EMR's reason, message, log file and stderr tail. */
public class EmrStepFailedException extends RuntimeException {

    private final String clusterId;
    private final String stepId;

    public EmrStepFailedException(String message, String clusterId, String stepId) {
        super(message);
        this.clusterId = clusterId;
        this.stepId = stepId;
    }

    public String clusterId() {
        return clusterId;
    }

    public String stepId() {
        return stepId;
    }
}
