package app;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import support.ApplicationProcess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hostile CSVs, each in a one-shot child JVM with a small heap, on both parsers: the run ends FAILED with
 * a report naming the cause and the process exits 1, instead of hanging after an OutOfMemoryError. The wait for the
 * child is a timeout, not a measure of speed.
 */
class HostileCsvEndsFailedInSmallHeapTest {

    private static final Duration TIMEOUT = Duration.ofMinutes(4);
    private static final String HEADER = "product_id,product_name,product_category,brand\n";

    @TempDir
    Path dir;

    /** One line of 30,000,000 commas at -Xmx256m: the default field limit stops it at its line. */
    @ParameterizedTest
    @ValueSource(strings = {"fast", "camel-csv"})
    void lineOfThirtyMillionCommasFailsAtTheFieldLimit(String parser) throws Exception {
        Path csv = write("commas.csv", out -> {
            out.write((HEADER + "1,Lamp,Home,BenQ\n").getBytes(StandardCharsets.UTF_8));
            repeat(out, (byte) ',', 30_000_000);
            out.write('\n');
        });

        JsonNode report = runOnce(csv, parser, "-Xmx256m");

        assertEquals("line 3: the record has more than 10000 fields (pipeline.convert.maxFieldsPerRecord)",
                report.path("error").path("message").asText(), report.toString());
    }

    /**
     * A 200 MB quoted field at -Xmx128m with the limits lifted far beyond the heap: the OutOfMemoryError of the
     * tokenizer (or of commons-csv, on its reader thread) fails the run with a report that says so.
     */
    @ParameterizedTest
    @ValueSource(strings = {"fast", "camel-csv"})
    void outOfMemoryInTheConvertStageFailsTheRunWithAReport(String parser) throws Exception {
        Path csv = write("huge-field.csv", out -> {
            out.write((HEADER + "1,Lamp,Home,BenQ\n2,\"").getBytes(StandardCharsets.UTF_8));
            repeat(out, (byte) 'x', 200 << 20);
            out.write("\",Sports,Manduka\n".getBytes(StandardCharsets.UTF_8));
        });

        JsonNode report = runOnce(csv, parser, "-Xmx128m", "-Dpipeline.convert.maxFieldBytes=500MB",
                "-Dpipeline.convert.maxRecordBytes=500MB");

        String message = report.path("error").path("message").asText();
        assertTrue(message.contains("java.lang.OutOfMemoryError"), report.toString());
        assertTrue(message.contains("give the JVM more with -Xmx"), report.toString());
    }

    /** Runs the one-shot on {@code csv}, which must exit 1 with one FAILED report of the convert stage. */
    private JsonNode runOnce(Path csv, String parser, String... jvmArguments) throws Exception {
        Path data = dir.resolve("data");
        List<String> arguments = Stream.concat(Stream.of(jvmArguments), Stream.of("-Dpipeline.once=" + csv,
                "-Dpipeline.convert.parser=" + parser)).toList();

        ApplicationProcess.Result result = ApplicationProcess.run(data, arguments, Map.of(), TIMEOUT);
        Files.delete(csv);

        assertEquals(1, result.exitCode(), result.output());
        try (Stream<Path> files = Files.list(data.resolve("runs"))) {
            List<Path> reports = files.filter(p -> p.toString().endsWith(".json")).toList();
            assertEquals(1, reports.size(), reports.toString());
            JsonNode report = new ObjectMapper().readTree(reports.get(0).toFile());
            assertEquals("FAILED", report.path("status").asText(), report.toString());
            assertEquals("convert", report.path("error").path("stage").asText(), report.toString());
            return report;
        }
    }

    private interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    private Path write(String name, Content content) throws IOException {
        Path file = dir.resolve(name);
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            content.writeTo(out);
        }
        return file;
    }

    private static void repeat(OutputStream out, byte b, int count) throws IOException {
        byte[] chunk = new byte[1 << 20];
        java.util.Arrays.fill(chunk, b);
        for (int left = count; left > 0; left -= chunk.length) {
            out.write(chunk, 0, Math.min(left, chunk.length));
        }
    }
}
