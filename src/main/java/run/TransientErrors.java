package run;

import java.io.IOException;

import app.BadInputException;
import org.apache.camel.http.base.HttpOperationFailedException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/** Which failures are worth redelivering: I/O, throttling and 5xx are; bad data and configuration never are. */
public final class TransientErrors {

    private TransientErrors() {
    }

    public static boolean isTransient(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof BadInputException || t instanceof config.ConfigurationException) {
                return false;
            }
            if (t instanceof HttpOperationFailedException http) {
                int code = http.getStatusCode();
                return code >= 500 || code == 408 || code == 429;
            }
            if (t instanceof AwsServiceException aws) {
                return aws.isThrottlingException() || aws.statusCode() >= 500;
            }
            if (t instanceof SdkClientException || t instanceof IOException) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
