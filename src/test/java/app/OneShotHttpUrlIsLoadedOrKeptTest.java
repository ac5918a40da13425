package app;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import support.CsvHttpServer.Response;
import support.HttpSourceTestSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code pipeline.once=<http URL>} loads the URL once; when its CSV is bad, the downloaded body is kept in failed/. */
class OneShotHttpUrlIsLoadedOrKeptTest extends HttpSourceTestSupport {

    @Override
    protected Properties sourceProperties() {
        Properties p = new Properties();
        p.setProperty("pipeline.once", sourceUrl());
        return p;
    }

    @Test
    void goodCsvIsLoadedAndTheRunExitsZero() throws Exception {
        source.serve(SOURCE_PATH, Response.csv(sampleCsv())).start();

        JsonNode report = awaitReport();

        assertEquals("SUCCEEDED", report.path("status").asText(), report.toString());
        assertEquals("once", report.path("trigger").asText(), report.toString());
        assertEquals(sourceUrl(), report.path("source").asText(), report.toString());
        assertEquals(sha256(sampleCsv().getBytes(StandardCharsets.UTF_8)), report.path("sha256").asText());
        assertEquals(sampleRows(), asRows(readParquet(report.path("parquetUri").asText())));
        assertEquals(1, source.requests(SOURCE_PATH).size());
        awaitExitCode(0);
    }

    @Test
    void badCsvFailsAndItsDownloadedBodyIsKept() throws Exception {
        String csv = "product_id,product_name,product_category,brand\n1,Lamp,Home,BenQ\nten,Mat,Sports,Manduka\n";
        source.serve(SOURCE_PATH, Response.csv(csv)).start();

        JsonNode report = awaitReport();

        assertEquals("FAILED", report.path("status").asText(), report.toString());
        assertEquals("convert", report.path("error").path("stage").asText(), report.toString());
        awaitExitCode(1);
        Path kept = dataDir.resolve("failed").resolve("download.csv");
        assertTrue(Files.exists(kept), "the downloaded body of a failed run must be kept in " + kept.getParent());
        assertEquals(csv, Files.readString(kept, StandardCharsets.UTF_8));
        JsonNode sidecar = JSON.readTree(kept.resolveSibling("download.csv.error.json").toFile());
        assertEquals(report.path("runId").asText(), sidecar.path("runId").asText(), sidecar.toString());
    }
}
