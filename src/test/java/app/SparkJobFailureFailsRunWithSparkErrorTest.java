package app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import support.LocalSpark;
import support.PipelineTestSupport;

/**
 * A spark-submit job that cannot read its input (here s3a://, for which this Spark lacks hadoop-aws) fails the run
 * with the job's own ERROR line and exit code in the message, and exits 1.
 */
class SparkJobFailureFailsRunWithSparkErrorTest extends PipelineTestSupport {

    @Override
    protected Properties testProperties() {
        Properties p = LocalSpark.engineProperties();
        p.setProperty("pipeline.once", samplePath().toString());
        p.setProperty("pipeline.spark.stageInput", "false");
        return p;
    }

    @Test
    void unreadableInputFailsTheRunWithSparksError() throws Exception {
        JsonNode report = awaitReports(1, Duration.ofMinutes(3)).get(0);

        assertEquals("FAILED", report.get("status").asText(), report.toString());
        JsonNode error = report.get("error");
        assertEquals("load", error.get("stage").asText(), report.toString());
        String message = error.get("message").asText();
        assertTrue(message.contains("spark-submit exited with code 1"), message);
        assertTrue(message.contains("ERROR: cannot read Parquet input s3a://s3-general-purpose-ecommerce/data/"
                                    + "products.parquet"), message);
        assertTrue(message.contains("S3AFileSystem not found"), message);
        assertTrue(message.contains("last lines of stderr:"), message);
        assertEquals(1, context.getRegistry().lookupByNameAndType("oneShotCompletion", OneShotCompletion.class)
                .exitCode());
    }
}
