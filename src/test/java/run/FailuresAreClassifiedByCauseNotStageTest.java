package run;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;

import core.BadInputException;
import athena.AthenaQueryException;
import emr.EmrWaitTimeoutException;
import org.apache.camel.RuntimeCamelException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import spark.SparkJobFailedException;

/** Only the input's own faults count as bad data, however deep they are wrapped; infrastructure failures never do. */
class FailuresAreClassifiedByCauseNotStageTest {

    @Test
    void badInputIsBadDataEvenWhenWrapped() {
        assertTrue(TransientErrors.isBadData(new BadInputException("line 3, column product_id: not an int")));
        assertTrue(TransientErrors.isBadData(new RuntimeCamelException(
                new BadInputException("The schema of s3://b/k does not match table data.products"))));
    }

    @Test
    void infrastructureFailuresAreNotBadData() {
        assertFalse(TransientErrors.isBadData(new AthenaQueryException("Athena query q FAILED: INTERNAL_ERROR")));
        assertFalse(TransientErrors.isBadData(new EmrWaitTimeoutException("j-1", "s-1", "RUNNING",
                                                                          Duration.ofMinutes(60))));
        assertFalse(TransientErrors.isBadData(new SparkJobFailedException(
                "spark-submit did not finish within pipeline.spark.timeout=PT10M")));
        assertFalse(TransientErrors.isBadData(new UncheckedIOException(new IOException("No space left on device"))));
        assertFalse(TransientErrors.isBadData(AwsServiceException.builder().statusCode(503).message("Slow down")
                                                      .build()));
    }
}
