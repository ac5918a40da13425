package app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;
import org.junit.jupiter.api.Test;
import support.ApplicationProcess;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real application, stopped (SIGTERM) while a dropped file's run waits on a load that never ends, waits for the run
 * as long as its shutdown timeout allows, then kills the load (the run fails saying the app is stopping, it is not
 * blamed on the load) and leaves the file in the inbox; the next start loads it and moves it to .done/.
 */
class StopDuringARunKeepsTheInputTest {

    @Test
    void stoppedRunLeavesItsFileForTheNextStart() throws Exception {
        Path root = Files.createDirectories(Path.of("target", "test-data"))
                .resolve("StopDuringARun-" + System.nanoTime()).toAbsolutePath();
        Path dataDir = root.resolve("data");
        Path hangingSpark = Files.createDirectories(root).resolve("spark-submit");
        Files.writeString(hangingSpark, "#!/bin/sh\necho started >&2\nexec sleep 600\n");
        Files.setPosixFilePermissions(hangingSpark, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path inbox = Files.createDirectories(dataDir.resolve("inbox"));
        Files.copy(Path.of("samples/products.csv"), inbox.resolve("products.csv"));
        List<String> fastInbox = List.of("-Dpipeline.inbox.pollInterval=200ms", "-Dpipeline.inbox.readLockMinAge=100ms");

        List<String> hanging = new java.util.ArrayList<>(fastInbox);
        hanging.add("-Dpipeline.engine=spark-submit");
        hanging.add("-Dpipeline.spark.sparkSubmit=" + hangingSpark);
        // a short stop: it waits for the run, then kills the load shortly before these 6 s pass
        hanging.add("-Dcamel.main.shutdownTimeout=6");
        ApplicationProcess.Running app = ApplicationProcess.start(dataDir, hanging, Map.of());
        try {
            await("the hanging spark-submit to start").atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(200))
                    .failFast("the app exited", () -> !app.process().isAlive())
                    .until(() -> app.stdout().contains("spark-submit stderr: started"));
        } catch (ConditionTimeoutException | TerminalFailureException e) {
            app.process().destroyForcibly();
            throw new AssertionError("the load never started (" + e.getMessage() + "):\n" + app.stdout(), e);
        }
        app.process().destroy();
        ApplicationProcess.Result stopped = app.awaitExit(Duration.ofSeconds(120));

        assertEquals(0, stopped.exitCode(), stopped.output());
        String log = stopped.stdout();
        int waited = log.indexOf("Waiting as there are still");
        int killed = log.indexOf("The stop has waited");
        assertTrue(waited >= 0 && killed > waited, "the stop waits for the run, then ends its load:\n" + log);
        assertTrue(log.indexOf("was killed because the app is stopping") > killed, stopped.output());
        assertTrue(Files.exists(inbox.resolve("products.csv")), "the file stays in the inbox:\n" + stopped.output());
        assertFalse(Files.exists(inbox.resolve(".done").resolve("products.csv")), stopped.output());
        assertFalse(Files.exists(inbox.resolve(".failed").resolve("products.csv")), stopped.output());

        List<String> restart = new java.util.ArrayList<>(fastInbox);
        restart.add("-Dcamel.main.durationMaxMessages=1");
        ApplicationProcess.Result again = ApplicationProcess.run(dataDir, restart, Map.of(), Duration.ofSeconds(120));
        assertEquals(0, again.exitCode(), again.output());
        assertTrue(again.stdout().contains("SUCCEEDED trigger=file source=products.csv"), again.output());
        assertTrue(Files.exists(inbox.resolve(".done").resolve("products.csv")), again.output());
    }
}
