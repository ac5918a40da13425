package emr;

/** The job run ended FAILED or CANCELLED, or the wait gave up on it; the message says why, with the driver's stderr. */
public class EmrServerlessJobFailedException extends RuntimeException {

    private final String applicationId;
    private final String jobRunId;

    public EmrServerlessJobFailedException(String message, String applicationId, String jobRunId) {
        super(message);
        this.applicationId = applicationId;
        this.jobRunId = jobRunId;
    }

    public String applicationId() {
        return applicationId;
    }

    public String jobRunId() {
        return jobRunId;
    }
}
