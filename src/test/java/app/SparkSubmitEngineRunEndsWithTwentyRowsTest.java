package app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import support.LocalSpark;
import support.PipelineTestSupport;

/** A one-shot run with pipeline.engine=spark-submit loads the sample with local Spark and DuckDB answers its 20 rows. */
class SparkSubmitEngineRunEndsWithTwentyRowsTest extends PipelineTestSupport {

    @Override
    protected Properties testProperties() {
        Properties p = LocalSpark.engineProperties();
        p.setProperty("pipeline.query.resultsDir", dataDir.resolve("results").toString());
        p.setProperty("pipeline.once", samplePath().toString());
        return p;
    }

    @Test
    void sampleLoadedBySparkIsQueriedByDuckDb() throws Exception {
        JsonNode report = awaitReports(1, java.time.Duration.ofMinutes(3)).get(0);

        assertEquals("SUCCEEDED", report.get("status").asText(), report.toString());
        assertEquals("data.products", report.get("table").asText());
        assertTrue(report.get("snapshotId").asLong() > 0, report.toString());
        assertEquals(20, report.path("query").get("rows").asLong(), report.toString());
        List<String> csv = Files.readAllLines(Path.of(report.path("query").path("resultsFile").asText()));
        assertEquals("product_id,product_name,product_category,brand", csv.get(0));
        assertEquals(Files.readAllLines(samplePath()).subList(1, 21).stream().sorted().toList(),
                     csv.subList(1, csv.size()).stream().sorted().toList());
        assertTrue(Files.isDirectory(dataDir.resolve("warehouse").resolve("data").resolve("products")
                                             .resolve("metadata")), "Spark wrote the warehouse DuckDB reads");
    }
}
