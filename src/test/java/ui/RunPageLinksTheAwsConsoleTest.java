package ui;

import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A run's page links the EMR cluster and Athena query pages its error and query error name, each once, and shows
 * every value of the report escaped.
 */
class RunPageLinksTheAwsConsoleTest {

    private static final String EMR = "https://eu-west-1.console.aws.amazon.com/emr/home#/clusterDetails/j-2AXXXXXXGAPLF";
    private static final String ATHENA = "https://eu-west-1.console.aws.amazon.com/athena/home"
            + "#/query-editor/history/0f3c6a6e-1234-4d1b-9c1e-2b7a0c1d2e3f";

    @Test
    void consolePagesNamedByTheRunAreLinkedOnce() throws Exception {
        JsonNode report = new ObjectMapper().readTree("""
                {"runId": "r1", "dataset": "products", "status": "FAILED", "trigger": "file",
                 "source": "<b>bold</b>.csv", "startedAt": "2026-12-07T10:00:00Z",
                 "error": {"stage": "load", "message": "EMR step s-1 ended FAILED on cluster j-2AXXXXXXGAPLF: %s"},
                 "query": {"status": "FAILED", "error": "Athena query failed: %s; again %s"}}
                """.formatted(EMR, ATHENA, ATHENA));

        assertEquals(List.of(EMR, ATHENA), Pages.consoleLinks(report));
        String page = new Pages("csrf").run("r1", report, null, Optional.empty(), List.of(), null);
        assertTrue(page.contains("<a class=\"console\" rel=\"noreferrer\" href=\"" + EMR + "\">"), page);
        assertTrue(page.contains("&lt;b&gt;bold&lt;/b&gt;.csv"), page);
        assertTrue(!page.contains("<b>bold</b>"), page);
    }
}
