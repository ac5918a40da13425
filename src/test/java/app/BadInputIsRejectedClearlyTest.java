package app;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import support.PipelineTestSupport;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Awkward and broken CSV drops each end in the right rows or a clear error, and the input is always kept. */
class BadInputIsRejectedClearlyTest extends PipelineTestSupport {

    private static final String HEADER = "product_id,product_name,product_category,brand\n";

    @Override
    protected Properties testProperties() {
        Properties p = fastInbox();
        // one object per run, so each run's Parquet can be read back after the others
        p.setProperty("pipeline.s3.key", "data/{runId}.parquet");
        return p;
    }

    @Test
    void eachInputEndsInTheRightRowsOrAClearErrorAndIsKept() {
        List<Executable> cases = new ArrayList<>();
        cases.add(() -> failed("non-integer-id.csv",
                utf8(HEADER + "1,Lamp,Home,BenQ\nabc,Mat,Sports,Manduka\n"),
                "line 3", "product_id", "'abc'"));
        cases.add(() -> failed("missing-column.csv",
                utf8("product_id,product_name,product_category\n1,Lamp,Home\n"),
                "required field", "brand"));
        cases.add(() -> succeeded("reordered-extra.csv",
                utf8("brand,colour,product_name,product_id,product_category\nBenQ,black,Lamp,1,Home\n"
                     + "Manduka,blue,Mat,2,Sports\n"),
                rows -> assertEquals(List.of(List.of("1", "Lamp", "Home", "BenQ"),
                        List.of("2", "Mat", "Sports", "Manduka")), asRows(rows))));
        cases.add(this::headerOnlyIsSkipped);
        cases.add(() -> failed("unterminated-quote.csv",
                utf8(HEADER + "1,\"Lamp,Home,BenQ\n2,Mat,Sports,Manduka\n"),
                "unterminated quoted field starting on line 2"));
        cases.add(() -> failed("semicolons.csv",
                utf8("product_id;product_name;product_category;brand\n1;Lamp;Home;BenQ\n"),
                "product_id", "product_name", "product_category", "brand", "';'"));
        cases.add(() -> failed("latin1.csv",
                concat(utf8(HEADER + "1,Lamp,Home,BenQ\n2,Caf"), new byte[] {(byte) 0xE9}, utf8(",Grocery,Lavazza\n")),
                "not valid UTF-8", "line 3"));
        cases.add(() -> succeeded("bom.csv",
                concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, utf8(HEADER + "7,Lamp,Home,BenQ\n")),
                rows -> assertEquals(List.of(List.of("7", "Lamp", "Home", "BenQ")), asRows(rows))));
        cases.add(() -> succeeded("crlf.csv",
                utf8(HEADER.replace("\n", "\r\n") + "1,Lamp,Home,BenQ\r\n2,Mat,Sports,Manduka\r\n"),
                rows -> assertEquals(List.of(List.of("1", "Lamp", "Home", "BenQ"),
                        List.of("2", "Mat", "Sports", "Manduka")), asRows(rows))));
        cases.add(() -> succeeded("quoted.csv",
                utf8(HEADER + "1,\"Lamp, desk\",\"Home \"\"deluxe\"\"\",\"Ben\nQ\"\n"),
                rows -> assertEquals(List.of(List.of("1", "Lamp, desk", "Home \"deluxe\"", "Ben\nQ")),
                        asRows(rows))));
        String big = "x".repeat(1024 * 1024);
        cases.add(() -> succeeded("one-mb-field.csv",
                utf8(HEADER + "1," + big + ",Home,BenQ\n2,Mat,Sports,Manduka\n"),
                rows -> {
                    assertEquals(2, rows.size());
                    assertEquals(big.length(), rows.get(0).get("product_name").toString().length());
                    assertEquals(big, rows.get(0).get("product_name").toString());
                    assertEquals("Mat", rows.get(1).get("product_name").toString());
                }));
        // last: a file that is never picked up would hold up the cases after it
        cases.add(() -> failed("empty.csv", new byte[0], "empty"));

        assertAll("bad inputs", cases.stream());
    }

    private void headerOnlyIsSkipped() throws Exception {
        JsonNode report = run("header-only.csv", utf8(HEADER));
        assertEquals("SKIPPED", report.path("status").asText(), report.toString());
        assertTrue(report.path("reason").asText().contains("no data rows"), report.toString());
        assertTrue(report.path("parquetUri").isMissingNode(), report.toString());
        assertKept(".done", "header-only.csv", utf8(HEADER));
    }

    /** The run SUCCEEDED, its input is in .done/, and its Parquet passes {@code check}. */
    private void succeeded(String name, byte[] content, Consumer<List<GenericRecord>> check) throws Exception {
        JsonNode report = run(name, content);
        assertEquals("SUCCEEDED", report.path("status").asText(), report.toString());
        assertKept(".done", name, content);
        check.accept(readParquet(report.path("parquetUri").asText()));
    }

    /** The run FAILED in convert with a message holding every fragment, its input in .failed/ with the sidecar. */
    private void failed(String name, byte[] content, String... fragments) throws Exception {
        JsonNode report = run(name, content);
        assertEquals("FAILED", report.path("status").asText(), report.toString());
        assertEquals("convert", report.path("error").path("stage").asText(), report.toString());
        String message = report.path("error").path("message").asText();
        for (String fragment : fragments) {
            assertTrue(message.contains(fragment), name + ": '" + fragment + "' not in: " + message);
        }
        assertKept(".failed", name, content);
        JsonNode sidecar = JSON.readTree(inbox().resolve(".failed").resolve(name + ".error.json").toFile());
        assertEquals(report.path("runId").asText(), sidecar.path("runId").asText(), sidecar.toString());
        assertEquals("convert", sidecar.path("stage").asText(), sidecar.toString());
        assertEquals(message, sidecar.path("reason").asText(), sidecar.toString());
    }

    private JsonNode run(String name, byte[] content) throws Exception {
        drop(name, content);
        return awaitReportOfDrop(name, RUN_LIMIT);
    }

    private void assertKept(String folder, String name, byte[] content) throws Exception {
        Path kept = inbox().resolve(folder).resolve(name);
        assertTrue(Files.exists(kept), name + " must be moved to " + kept.getParent());
        assertArrayEquals(content, Files.readAllBytes(kept), name + " must be kept unchanged");
        assertFalse(filesLeftInInbox().contains(name), name + " is still in the inbox");
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Arrays.stream(parts).forEach(out::writeBytes);
        return out.toByteArray();
    }
}
