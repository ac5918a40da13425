package run;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import support.SmallDisk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * On a real file system filled to its last byte by something else, a run's report is still written: the space kept
 * in {@code runs/.reserve} is given up for it, no {@code .partial} stays, and the reserve is taken again once there is
 * room.
 */
class ReportIsWrittenOnAFullDiskTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private SmallDisk disk;

    @BeforeEach
    void smallDisk() throws Exception {
        Path root = Files.createTempDirectory(Files.createDirectories(Path.of("target", "test-data")),
                getClass().getSimpleName() + "-").toAbsolutePath();
        disk = SmallDisk.mount(root.resolve("data"), "3m");
    }

    @AfterEach
    void unmount() throws Exception {
        if (disk != null) {
            disk.close();
        }
    }

    @Test
    void theReserveIsGivenUpForTheReportAndTakenBack() throws Exception {
        Path dataDir = disk.path();
        RunReporter reporter = new RunReporter(dataDir);
        reporter.reserveSpace();
        Path reserve = dataDir.resolve("runs").resolve(".reserve");
        assertEquals(RunReporter.RESERVE_BYTES, Files.size(reserve));
        Path filler = fill(dataDir.resolve("filler"));

        PipelineRun run = new PipelineRun("once", "/elsewhere/products.csv");
        run.failed("convert", "No space left on device writing " + dataDir.resolve("work/x.parquet"));
        reporter.finish(run, RunFiles.none());

        JsonNode report = JSON.readTree(reporter.reportFile(run).toFile());
        assertEquals("FAILED", report.path("status").asText(), report.toString());
        assertFalse(Files.exists(reserve), "given up for the report");
        assertEquals(List.of(), partials(dataDir));

        Files.delete(filler);
        PipelineRun next = new PipelineRun("once", "/elsewhere/products.csv");
        next.succeeded();
        reporter.finish(next, RunFiles.none());

        assertTrue(Files.exists(reporter.reportFile(next)));
        assertEquals(RunReporter.RESERVE_BYTES, Files.size(reserve), "taken again once there is room");
    }

    /** Writes until the file system refuses another byte. */
    private static Path fill(Path file) throws IOException {
        byte[] block = new byte[4096];
        try (OutputStream out = Files.newOutputStream(file)) {
            while (true) {
                out.write(block);
                out.flush();
            }
        } catch (IOException e) {
            assertTrue(e.getMessage().contains("No space left on device"), e.toString());
        }
        return file;
    }

    private static List<Path> partials(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".partial")).toList();
        }
    }
}
