package app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import support.ApplicationProcess;
import support.ApplicationProcess.Result;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real app in a child JVM: a dataset, namespace or table name that would leave its folder ({@code ../x}), break
 * out of a quoted expression ({@code x'y}) or break S3 Tables' naming rule exits 2 at start-up, naming each property
 * and value, before any folder of it is made; a one-shot with such a name does not hang. So does an inbox folder that
 * Camel's file endpoint would read as another one.
 */
class NamesThatWouldEscapeAreRefusedAtStartupTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    private Path dataDir;
    private Path sample;

    @BeforeEach
    void freshDataDir() throws IOException {
        Path root = Files.createDirectories(Path.of("target", "test-data"));
        dataDir = Files.createTempDirectory(root, getClass().getSimpleName() + "-").toAbsolutePath().resolve("data");
        sample = Path.of("samples/products.csv").toAbsolutePath();
    }

    @Test
    void aQuoteInTheDatasetOfAOneShotExitsTwoInsteadOfHanging() throws Exception {
        Result result = run("-Dpipeline.dataset=x'y", "-Dpipeline.once=" + sample);

        assertEquals(2, result.exitCode(), result.output());
        assertTrue(result.stderr().contains("pipeline.dataset must be 1 to 255 lower-case letters"), result.output());
        assertTrue(result.stderr().contains("was 'x'y'"), result.output());
        assertFalse(Files.exists(dataDir.resolve("runs")), "no run may start: " + result.output());
    }

    @Test
    void aDatasetThatClimbsOutOfItsFolderExitsTwo() throws Exception {
        Result result = run("-Dpipeline.dataset=../x");

        assertEquals(2, result.exitCode(), result.output());
        assertTrue(result.stderr().contains("pipeline.dataset must be"), result.output());
        assertTrue(result.stderr().contains("was '../x'"), result.output());
        assertFalse(Files.exists(dataDir.getParent().resolve("x")), "nothing is made beside the data dir");
    }

    @Test
    void aNamespaceATableAndAnInboxThatIsNoPathAreEachNamed() throws Exception {
        Path inbox = dataDir.getParent().resolve("in%41");
        Result result = run("-Dpipeline.table.namespace=aws_data", "-Dpipeline.table.name=Products",
                "-Dpipeline.inbox.dir=" + inbox);

        assertEquals(2, result.exitCode(), result.output());
        String stderr = result.stderr();
        assertTrue(stderr.contains("pipeline.table.namespace must be") && stderr.contains("not starting with aws")
                   && stderr.contains("was 'aws_data'"), result.output());
        assertTrue(stderr.contains("pipeline.table.name must be") && stderr.contains("was 'Products'"),
                result.output());
        assertTrue(stderr.contains("pipeline.inbox.dir must not hold ?, #, %, { or }: the inbox folder " + inbox),
                result.output());
        assertFalse(Files.exists(dataDir.getParent().resolve("inA")), "the URI's reading of the folder is not made");
    }

    @Test
    void aDatasetOfTheListAndADatasetsOwnTableAreNamedAsWritten() throws Exception {
        Result result = run("-Dpipeline.datasets=products,../orders",
                "-Dpipeline.dataset.products.table.name=items;drop");

        assertEquals(2, result.exitCode(), result.output());
        String stderr = result.stderr();
        assertTrue(stderr.contains("pipeline.datasets: a dataset name must be") && stderr.contains("was '../orders'"),
                result.output());
        assertTrue(stderr.contains("pipeline.dataset.products.table.name must be")
                   && stderr.contains("was 'items;drop'"), result.output());
    }

    private Result run(String... jvmArguments) throws Exception {
        return ApplicationProcess.run(dataDir, List.of(jvmArguments), Map.of(), TIMEOUT);
    }
}
