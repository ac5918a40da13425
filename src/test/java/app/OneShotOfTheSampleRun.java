package app;

import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import config.PipelineConfig;
import config.TableConfig;
import support.PipelineTestSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Test support shared by the tests that look at one whole one-shot run of the bundled sample in the local profile
 * (the embedded S3 server, the embedded Iceberg engine, DuckDB), each at its own side of what the run made.
 */
abstract class OneShotOfTheSampleRun extends PipelineTestSupport {

    @Override
    protected Properties testProperties() {
        Properties p = new Properties();
        p.setProperty("pipeline.query.resultsDir", dataDir.resolve("results").toString());
        p.setProperty("pipeline.once", samplePath().toString());
        return p;
    }

    /** The run's report, once it SUCCEEDED. */
    JsonNode awaitSucceeded() throws Exception {
        JsonNode report = awaitReport();
        assertEquals("SUCCEEDED", report.get("status").asText(), report.toString());
        return report;
    }

    /** The table the run loaded, as the app configured it. */
    TableConfig table() {
        return context.getRegistry().findSingleByType(PipelineConfig.class).table();
    }
}
