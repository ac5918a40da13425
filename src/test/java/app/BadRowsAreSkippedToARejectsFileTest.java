package app;

import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import support.PipelineTestSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** With onBadRow=skip bad rows go to a rejects CSV next to the Parquet; past maxRejects the run fails. */
class BadRowsAreSkippedToARejectsFileTest extends PipelineTestSupport {

    private static final String HEADER = "product_id,product_name,product_category,brand\n";

    @Override
    protected Properties testProperties() {
        Properties p = fastInbox();
        p.setProperty("pipeline.convert.onBadRow", "skip");
        p.setProperty("pipeline.convert.maxRejects", "2");
        p.setProperty("pipeline.s3.key", "data/{runId}.parquet");
        return p;
    }

    @Test
    void badRowsLandInTheRejectsFileNextToTheParquet() throws Exception {
        drop("some-bad.csv", (HEADER + "1,Lamp,Home,BenQ\nabc,Mat,Sports,Manduka\n3,Kettle,Kitchen\n"
                              + "4,Desk,\"Office, home\",IKEA\n").getBytes(StandardCharsets.UTF_8));

        JsonNode report = awaitReportOfDrop("some-bad.csv");

        assertEquals("SUCCEEDED", report.path("status").asText(), report.toString());
        assertEquals(4, report.path("rowsRead").asLong(), report.toString());
        assertEquals(2, report.path("rowsWritten").asLong(), report.toString());
        assertEquals(2, report.path("rowsRejected").asLong(), report.toString());
        String parquetUri = report.path("parquetUri").asText();
        assertEquals(List.of(List.of("1", "Lamp", "Home", "BenQ"), List.of("4", "Desk", "Office, home", "IKEA")),
                asRows(readParquet(parquetUri)));
        String rejectsUri = report.path("rejectsUri").asText();
        assertEquals(parquetUri.replaceFirst("\\.parquet$", ".rejects.csv"), rejectsUri);

        List<CSVRecord> rejects = readCsv(downloadUri(rejectsUri));
        assertEquals(List.of("line", "reason", "original"), rejects.get(0).toList());
        assertEquals("3", rejects.get(1).get(0));
        assertTrue(rejects.get(1).get(1).contains("product_id") && rejects.get(1).get(1).contains("abc"),
                rejects.get(1).toString());
        assertEquals("abc,Mat,Sports,Manduka", rejects.get(1).get(2));
        assertEquals("4", rejects.get(2).get(0));
        assertTrue(rejects.get(2).get(1).contains("expected 4 fields"), rejects.get(2).toString());
        assertEquals("3,Kettle,Kitchen", rejects.get(2).get(2));
        assertEquals(3, rejects.size());
        assertTrue(Files.exists(inbox().resolve(".done").resolve("some-bad.csv")));
    }

    @Test
    void moreBadRowsThanMaxRejectsFailTheRun() throws Exception {
        drop("too-bad.csv", (HEADER + "a,Lamp,Home,BenQ\nb,Mat,Sports,Manduka\nc,Kettle,Kitchen,Bosch\n"
                             + "4,Desk,Office,IKEA\n").getBytes(StandardCharsets.UTF_8));

        JsonNode report = awaitReportOfDrop("too-bad.csv");

        assertEquals("FAILED", report.path("status").asText(), report.toString());
        String message = report.path("error").path("message").asText();
        assertTrue(message.contains("pipeline.convert.maxRejects") && message.contains("line 2"), message);
        assertTrue(Files.exists(inbox().resolve(".failed").resolve("too-bad.csv.error.json")));
        assertTrue(s3().listObjectsV2(b -> b.bucket("s3-general-purpose-ecommerce")).contents().isEmpty(),
                "a failed run uploads nothing");
    }

    private static List<CSVRecord> readCsv(Path file) throws Exception {
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return CSVFormat.DEFAULT.parse(in).getRecords();
        }
    }
}
