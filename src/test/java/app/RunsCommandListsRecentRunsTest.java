package app;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import support.PipelineTestSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code runs} lists the reports the app wrote, newest first: a succeeded, a skipped and a failed run with their
 * dataset, trigger, table, source, rows and the failure's stage and message; {@code --last} and {@code --dataset} narrow the list. A
 * report that cannot be read is named on standard error and hides none of the others.
 */
class RunsCommandListsRecentRunsTest extends PipelineTestSupport {

    @Override
    protected Properties testProperties() {
        return fastInbox();
    }

    @Test
    void listsSucceededSkippedAndFailedRunsNewestFirst() throws Exception {
        byte[] csv = Files.readAllBytes(Path.of("samples/products.csv"));
        drop("products.csv", csv);
        JsonNode succeeded = awaitReportOfDrop("products.csv");
        drop("products-again.csv", csv);
        JsonNode skipped = awaitReportOfDrop("products-again.csv");
        drop("bad.csv", "product_id,product_name,product_category,brand\n7x,x,y,z\n".getBytes(StandardCharsets.UTF_8));
        JsonNode failed = awaitReportOfDrop("bad.csv");

        Output all = runs();
        assertEquals(0, all.exitCode, all.err);
        List<String> lines = all.out.lines().toList();
        assertTrue(lines.get(1).matches("\\| run id +\\| dataset +\\| trigger \\| status +\\| table +\\| source +"
                                        + "\\| rows \\| duration +\\| ledger entry +\\| error or reason +\\|"), all.out);
        // header, then newest first
        String entry = "data.products_loads " + succeeded.get("snapshotId").asText();
        assertRow(lines.get(3), failed, "FAILED", "0", "", "convert: line 2, column product_id, value '7x': not an int");
        assertRow(lines.get(4), skipped, "SKIPPED", "0", entry, skipped.get("reason").asText());
        assertRow(lines.get(5), succeeded, "SUCCEEDED", "20", entry, "");
        assertEquals("3 rows", lines.get(lines.size() - 1));

        Output last = runs("--last", "1");
        assertTrue(last.out.contains(failed.get("runId").asText()), last.out);
        assertFalse(last.out.contains(succeeded.get("runId").asText()), last.out);

        Output products = runs("--dataset", "products", "--last", "2");
        assertTrue(products.out.contains(skipped.get("runId").asText()), products.out);
        Output orders = runs("--dataset", "orders");
        assertEquals("no runs in " + dataDir.resolve("runs") + " for dataset orders", orders.out.strip());

        Path garbage = Files.writeString(dataDir.resolve("runs").resolve("20200101-000000-dead.json"), "garbage");
        Path half = Files.writeString(dataDir.resolve("runs").resolve("20200101-000001-beef.json"), "{\"runId\" : ");
        Output despite = runs();
        assertEquals(0, despite.exitCode, despite.err);
        assertEquals(all.out, despite.out, "the readable reports are listed as before");
        assertTrue(despite.err.contains("runs: skipped cannot read the run report " + garbage), despite.err);
        assertTrue(despite.err.contains("runs: skipped cannot read the run report " + half), despite.err);

        Output wrong = runs("--last", "none");
        assertEquals(2, wrong.exitCode);
        assertTrue(wrong.err.contains("usage: runs [--last N] [--dataset D]"), wrong.err);
    }

    private static void assertRow(String line, JsonNode report, String status, String rows, String ledgerEntry,
                                  String error) {
        List<String> cells = List.of(line.substring(1, line.length() - 1).split("\\|", -1)).stream()
                .map(String::strip).toList();
        double seconds = report.get("durationMs").asLong() / 1000.0;
        // every run names its table, a failed one too, and its source: the file dropped
        assertEquals(List.of(report.get("runId").asText(), "products", "file", status, "data.products",
                report.get("source").asText(), rows, String.format(java.util.Locale.ROOT, "%.1f s", seconds),
                ledgerEntry, cut(error)), cells, line);
    }

    /** A cell keeps 60 characters at most; the report keeps the whole text. */
    private static String cut(String text) {
        return text.length() <= 60 ? text : text.substring(0, 59) + "…";
    }

    private record Output(int exitCode, String out, String err) {
    }

    private Output runs(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exitCode = RunsCommand.run(List.of(args), dataDir, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Output(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
