package run;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonProcessingException;
import core.BadInputException;
import core.DiskSpace;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.hadoop.fs.ChecksumException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/**
 * Failures classified by cause, not by the stage they happened in. Transient ones (I/O, throttling, 5xx) are worth
 * redelivering at once; bad data (rows, parse errors, a schema the table refuses: {@link BadInputException}) is the
 * input's fault and settles it; anything else (an Athena error, an EMR or Spark timeout, a full disk, a 5xx still
 * failing after the redeliveries) is the infrastructure's, and the same input is tried again later.
 */
public final class TransientErrors {

    private TransientErrors() {
    }

    /** Whether the input itself is at fault: only then is the same content not worth trying again. */
    public static boolean isBadData(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof BadInputException) {
                return true;
            }
        }
        return false;
    }

    public static boolean isTransient(Throwable failure) {
        if (DiskSpace.isFull(failure)) {
            // the disk stays full a second later: the run fails, saying where and how much space is left
            return false;
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof BadInputException || t instanceof config.ConfigurationException) {
                return false;
            }
            if (t instanceof JsonProcessingException || t instanceof ChecksumException) {
                // a file that does not parse (a truncated table metadata file) parses no better a second later
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
