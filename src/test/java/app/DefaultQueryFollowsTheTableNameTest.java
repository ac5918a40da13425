package app;

import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import support.PipelineTestSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The default query is written from the table's namespace and name: renaming the table does not break it. */
class DefaultQueryFollowsTheTableNameTest extends PipelineTestSupport {

    @Override
    protected Properties testProperties() {
        Properties p = new Properties();
        p.setProperty("pipeline.once", samplePath().toString());
        p.setProperty("pipeline.table.namespace", "shop");
        p.setProperty("pipeline.table.name", "items");
        return p;
    }

    @Test
    void theRenamedTableIsQueried() throws Exception {
        JsonNode report = awaitReport();
        assertEquals("SUCCEEDED", report.get("status").asText(), report.toString());
        assertEquals("shop.items", report.get("table").asText());
        assertEquals(20, report.path("query").get("rows").asLong(), report.toString());
    }
}
