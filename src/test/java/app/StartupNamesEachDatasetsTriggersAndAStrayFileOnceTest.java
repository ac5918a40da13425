package app;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import support.ApplicationProcess;

/**
 * The service of two datasets logs one line per dataset naming its trigger, the folder it watches, its table and
 * engines, and no listing of Camel's properties; a file dropped in {@code inbox/} itself, which no dataset reads, is
 * named once in a warning with the folders that are watched, and stays where it is.
 */
class StartupNamesEachDatasetsTriggersAndAStrayFileOnceTest {

    private static final Duration LIMIT = Duration.ofSeconds(120);

    @TempDir
    Path dir;

    private ApplicationProcess.Running service;

    @AfterEach
    void stopService() throws InterruptedException {
        if (service != null) {
            service.kill();
        }
    }

    @Test
    void eachDatasetHasItsLineAndAStrayFileIsNamedOnce() throws Exception {
        Path data = dir.resolve("data");
        Path inbox = data.resolve("inbox");
        service = ApplicationProcess.start(data, List.of("-Dpipeline.datasets=products,orders",
                "-Dpipeline.dataset.orders.table.name=orders",
                "-Dpipeline.inbox.pollInterval=100ms", "-Dpipeline.inbox.readLockMinAge=100ms"), Map.of());
        await("the service's start").atMost(LIMIT).until(() -> service.stdout().contains("Dataset orders:")
                || !service.process().isAlive());
        String started = service.stdout();
        assertTrue(service.process().isAlive(), "the service stopped: " + started
                + Files.readString(service.stderrFile()));
        for (String dataset : List.of("products", "orders")) {
            assertTrue(started.contains("Dataset " + dataset + ": trigger inbox (watches " + inbox.resolve(dataset)
                    + " for .*\\.csv(\\.gz|\\.zst|\\.bz2)?); table data." + dataset + " in the hadoop catalog at "
                    + data.resolve("warehouse") + "; load engine embedded, query engine duckdb"), started);
        }
        assertFalse(started.contains("summary"), "Camel's listing of the properties is not logged: " + started);

        Files.createDirectories(inbox);
        Path stray = Files.copy(Path.of("samples/products.csv"), dir.resolve("stray.csv"));
        Files.move(stray, inbox.resolve("stray.csv"), StandardCopyOption.ATOMIC_MOVE);
        String warning = "stray.csv in " + inbox + " is read by no dataset: with pipeline.datasets each dataset"
                + " watches its own folder (" + inbox.resolve("products") + ", " + inbox.resolve("orders")
                + "); move it into the folder of its dataset";
        await("the warning about stray.csv").atMost(LIMIT).until(() -> service.stdout().contains(warning));

        // a run of a dataset meanwhile: the stray file was looked at by many polls, and named once
        Path csv = Files.copy(Path.of("samples/products.csv"), dir.resolve("products.csv"));
        Files.move(csv, inbox.resolve("products").resolve("products.csv"), StandardCopyOption.ATOMIC_MOVE);
        await("the products run").atMost(LIMIT).until(() -> service.stdout().contains(" SUCCEEDED trigger=file"));
        assertEquals(1, service.stdout().lines().filter(line -> line.contains(warning)).count(), service.stdout());
        assertTrue(Files.exists(inbox.resolve("stray.csv")), "the stray file stays where it was dropped");
    }
}
