package aws;

import java.io.IOException;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/** Which AWS API failures are worth asking again: throttling, 5xx and I/O; anything else is an answer. */
public final class AwsErrors {

    private AwsErrors() {
    }

    public static boolean isTransient(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof AwsServiceException aws) {
                return aws.isThrottlingException() || aws.statusCode() >= 500;
            }
            if (t instanceof SdkClientException || t instanceof IOException) {
                return true;
            }
        }
        return false;
    }
}
