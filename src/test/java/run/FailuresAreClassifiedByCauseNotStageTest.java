package run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;

import com.fasterxml.jackson.databind.ObjectMapper;
import core.BadInputException;
import org.apache.iceberg.exceptions.RuntimeIOException;
import athena.AthenaQueryException;
import emr.EmrWaitTimeoutException;
import org.apache.camel.RuntimeCamelException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import spark.SparkJobFailedException;

/**
 * Only the input's own faults count as bad data, however deep they are wrapped; infrastructure failures never do. A
 * full disk and a file that does not parse are not redelivered; the failure's message keeps the file a wrapper names.
 */
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

    @Test
    void aFullDiskAndAFileThatDoesNotParseAreNotRedelivered() throws Exception {
        IOException truncated = assertThrowsIo(() -> new ObjectMapper().readValue(new java.io.ByteArrayInputStream(
                new byte[0]), Object.class));
        RuntimeIOException metadata = new RuntimeIOException(truncated, "Failed to read file: %s",
                "/data/warehouse/data/products/metadata/v2.metadata.json");

        assertFalse(TransientErrors.isTransient(new RuntimeCamelException(metadata)));
        assertFalse(TransientErrors.isTransient(new IOException("No space left on device")));
        assertTrue(TransientErrors.isTransient(new IOException("Connection reset")));
        assertEquals("Failed to read file: /data/warehouse/data/products/metadata/v2.metadata.json: "
                     + truncated.getMessage(), RunRecorder.failureMessage(new RuntimeCamelException(metadata)));
        assertEquals("gone", RunRecorder.failureMessage(new UncheckedIOException("cannot open x.csv: gone",
                new IOException("gone"))), "a wrapper that repeats its cause is not said twice");
    }

    private static IOException assertThrowsIo(IoCall call) {
        try {
            call.run();
        } catch (IOException e) {
            return e;
        }
        throw new AssertionError("no IOException");
    }

    private interface IoCall {
        void run() throws IOException;
    }
}
