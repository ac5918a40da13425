package app;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import support.ApplicationProcess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The management server's port is taken: the long-running app refuses to start (exit 2) naming camel.management.port, while a
 * one-shot run, which starts no server, loads its input as usual.
 */
class ManagementPortInUseTest {

    @TempDir
    Path dir;

    @Test
    void theServiceNamesThePropertyAndTheOneShotRunIsUnaffected() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String port = "-Dcamel.management.port=" + taken.getLocalPort();

            ApplicationProcess.Result service = ApplicationProcess.run(dir.resolve("service"), List.of(port),
                    Map.of(), Duration.ofSeconds(120));
            assertEquals(2, service.exitCode(), service.output());
            assertTrue(service.stderr().contains("camel.management.port"), service.output());

            ApplicationProcess.Result once = ApplicationProcess.run(dir.resolve("once"),
                    List.of(port, "-Dpipeline.once=" + Path.of("samples/products.csv").toAbsolutePath()), Map.of(),
                    Duration.ofSeconds(120));
            assertEquals(0, once.exitCode(), once.output());
            assertTrue(once.stdout().contains("20 rows"), once.output());
        }
    }
}
