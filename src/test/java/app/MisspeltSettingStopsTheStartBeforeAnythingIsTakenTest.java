package app;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import run.DataDirLock;
import support.ApplicationProcess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real process with a misspelt setting exits 2 naming it and the setting meant, in one message with the other
 * problems, before it takes the data dir (no lock, no table, no embedded S3 folder) and before the management port
 * is looked at; a data dir in use is reported before a port that is taken.
 */
class MisspeltSettingStopsTheStartBeforeAnythingIsTakenTest {

    @TempDir
    Path dir;

    @Test
    void aMisspeltKeyOfTheServiceIsNamedAndNothingIsTaken() throws Exception {
        Path data = dir.resolve("service");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            ApplicationProcess.Result result = ApplicationProcess.run(data, List.of(
                    "-Dcamel.management.port=" + taken.getLocalPort(), "-Dpipeline.convert.shema=x",
                    "-Dpipeline.dataset.trips.tabel.mode=append", "-Dpipeline.convert.onBadRow=never"), Map.of(),
                    Duration.ofSeconds(120));

            assertEquals(2, result.exitCode(), result.output());
            assertTrue(result.stderr().contains("Invalid configuration:\n"), result.output());
            assertTrue(result.stderr().contains(
                    "pipeline.convert.shema is not a setting; did you mean pipeline.convert.schema?"), result.output());
            assertTrue(result.stderr().contains("pipeline.dataset.trips.tabel.mode is not a setting; did you mean"
                    + " pipeline.dataset.trips.table.mode?"), result.output());
            assertTrue(result.stderr().contains("pipeline.convert.onBadRow must be one of fail, skip, was never"),
                    "every problem in the one message: " + result.output());
            assertFalse(result.output().contains("camel.management.port"), "the port was not looked at: "
                    + result.output());
        }
        assertEquals(List.of(), files(data), "the data dir was not taken: no lock, no table, no S3 folder");
    }

    @Test
    void aMisspeltKeyOfAOneShotIsNamedAndNoTableIsMade() throws Exception {
        Path data = dir.resolve("once");
        ApplicationProcess.Result result = ApplicationProcess.run(data, List.of(
                "-Dpipeline.once=" + Path.of("samples/products.csv").toAbsolutePath(),
                "-Dpipeline.table.name=trips"), Map.of("PIPELINE_CONVERT_SHEMA", "trips.avsc"),
                Duration.ofSeconds(120));

        assertEquals(2, result.exitCode(), result.output());
        assertTrue(result.stderr().contains("environment variable PIPELINE_CONVERT_SHEMA is not a setting; did you"
                + " mean PIPELINE_CONVERT_SCHEMA (pipeline.convert.schema)?"), result.output());
        assertEquals(List.of(), files(data), "no lock, no table");
    }

    @Test
    void aMisspeltOptionOfCamelMainIsNamedByCamelsOwnCheck() throws Exception {
        ApplicationProcess.Result result = ApplicationProcess.run(dir.resolve("camel"),
                List.of("-Dcamel.main.shutdwnTimeout=5"), Map.of(), Duration.ofSeconds(120));

        assertEquals(2, result.exitCode(), result.output());
        assertTrue(result.stderr().contains("camel.main.shutdwnTimeout is not an option Camel can set; did you mean"
                + " camel.main.shutdownTimeout?"), result.output());
    }

    @Test
    void aDataDirInUseIsReportedBeforeATakenPort() throws Exception {
        Path data = dir.resolve("locked");
        DataDirLock lock = new DataDirLock(data);
        lock.start();
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            ApplicationProcess.Result result = ApplicationProcess.run(data,
                    List.of("-Dcamel.management.port=" + taken.getLocalPort()), Map.of(), Duration.ofSeconds(120));

            assertEquals(2, result.exitCode(), result.output());
            assertTrue(result.stderr().contains("pipeline.data.dir " + data.toAbsolutePath() + " is in use by"),
                    result.output());
            assertFalse(result.stderr().contains("camel.management.port"), result.output());
        } finally {
            lock.stop();
        }
    }

    /** The files under {@code folder}, none if it is not there. */
    private static List<Path> files(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return List.of();
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            return paths.filter(path -> !path.equals(folder)).toList();
        }
    }
}
