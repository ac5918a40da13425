package app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code bin/s3tables-pipeline} adds {@code bin/jvm-oneshot.options} to a one-shot process only: a once input given
 * as an option, in the environment or in the {@code --config} file (passed after the jar), or a command; the long-running service gets {@code bin/jvm.options} alone, and
 * {@code S3TABLES_PIPELINE_JVM} overrides. Read from the java command it prints with {@code S3TABLES_PIPELINE_DRY_RUN}
 * (the JVM's own flags, as each mode starts, are {@link LauncherStartsTheServiceWithC2IT}'s and
 * {@link LauncherRunsTheSampleAndListsItIT}'s).
 */
class LauncherPicksTheJvmOptionsOfItsModeTest {

    private static final Path LAUNCHER = Path.of("bin", "s3tables-pipeline").toAbsolutePath();
    private static final String SHARED = "@" + Path.of("bin", "jvm.options").toAbsolutePath();
    private static final String ONE_SHOT = "@" + Path.of("bin", "jvm-oneshot.options").toAbsolutePath();

    @Test
    void aOnceInputOrACommandMakesAOneShot() throws Exception {
        assertOneShot(dryRun(List.of("-Dpipeline.once=samples/products.csv"), Map.of()));
        assertOneShot(dryRun(List.of("-Xmx256m", "-Dpipeline.dataset.orders.once=samples/orders.csv"), Map.of()));
        assertOneShot(dryRun(List.of("-Dpipeline.data.dir=data", "runs", "--last", "5"), Map.of()));
        assertOneShot(dryRun(List.of(), Map.of("PIPELINE_ONCE", "samples/products.csv")));
        assertOneShot(dryRun(List.of(), Map.of("PIPELINE_DATASET_ORDERS_ONCE", "samples/orders.csv")));
    }

    @Test
    void withoutOneItIsTheService() throws Exception {
        assertService(dryRun(List.of(), Map.of()));
        assertService(dryRun(List.of("-Dpipeline.data.dir=data", "-Dpipeline.once="), Map.of("PIPELINE_ONCE", "")));
        assertService(dryRun(List.of("-Dpipeline.source.url=http://127.0.0.1/products.csv"), Map.of()));
    }

    @Test
    void theEnvironmentChoosesWhereTheLauncherCannotSee() throws Exception {
        assertOneShot(dryRun(List.of(), Map.of("S3TABLES_PIPELINE_JVM", "oneshot")));
        assertService(dryRun(List.of("-Dpipeline.once=samples/products.csv"), Map.of("S3TABLES_PIPELINE_JVM",
                "service")));
        List<String> refused = run(List.of(), Map.of("S3TABLES_PIPELINE_JVM", "fast"), 2);
        assertTrue(String.join("\n", refused).contains("S3TABLES_PIPELINE_JVM must be oneshot or service, was fast"),
                String.valueOf(refused));
    }

    @Test
    void theOptionsGivenComeAfterTheModesAndBeforeTheJar() throws Exception {
        List<String> command = dryRun(List.of("-Xmx256m", "-Dpipeline.once=a b.csv", "runs"), Map.of());
        int jar = command.indexOf("-jar");
        assertTrue(command.indexOf(ONE_SHOT) < command.indexOf("-Xmx256m") && command.indexOf("-Xmx256m") < jar,
                String.valueOf(command));
        assertEquals("runs", command.get(command.size() - 1));
    }

    @Test
    void aConfigFileGoesAfterTheJarAndItsOnceMakesAOneShot(@TempDir Path dir) throws Exception {
        Path once = Files.writeString(dir.resolve("once.properties"), "pipeline.table.name = trips\n"
                + "pipeline.once = trips.csv\n");
        Path service = Files.writeString(dir.resolve("service.properties"), "pipeline.table.name = trips\n"
                + "pipeline.once =\n");

        List<String> oneShot = dryRun(List.of("-Xmx256m", "--config", once.toString(), "tables"), Map.of());
        assertOneShot(oneShot);
        int jar = oneShot.indexOf("-jar");
        assertEquals(List.of("--config", once.toString(), "tables"), oneShot.subList(jar + 2, oneShot.size()));
        assertTrue(oneShot.indexOf("-Xmx256m") < jar, String.valueOf(oneShot));
        assertService(dryRun(List.of("--config=" + service), Map.of()));
        List<String> help = dryRun(List.of("--help"), Map.of());
        assertEquals("--help", help.get(help.size() - 1), "help is the app's command, not an option of java");

        List<String> refused = run(List.of("--config"), Map.of(), 2);
        assertTrue(String.join("\n", refused).contains("--config must be followed by a properties file"),
                String.valueOf(refused));
    }

    private static void assertOneShot(List<String> command) {
        assertTrue(command.contains(SHARED) && command.contains(ONE_SHOT), "one-shot options: " + command);
    }

    private static void assertService(List<String> command) {
        assertTrue(command.contains(SHARED), "shared options: " + command);
        assertFalse(command.contains(ONE_SHOT), "no one-shot options for the service: " + command);
    }

    /** The java command the launcher would run, word by word. */
    private static List<String> dryRun(List<String> args, Map<String, String> env) throws Exception {
        Map<String, String> dry = new java.util.HashMap<>(env);
        dry.put("S3TABLES_PIPELINE_DRY_RUN", "true");
        return run(args, dry, 0);
    }

    private static List<String> run(List<String> args, Map<String, String> env, int exitCode)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(LAUNCHER.toString());
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        // the outer environment's once or override must not decide these cases
        builder.environment().keySet().removeIf(name -> name.startsWith("PIPELINE_") || name.startsWith("S3TABLES_"));
        builder.environment().putAll(env);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the launcher did not end: " + output);
        assertEquals(exitCode, process.exitValue(), command + " " + env + ": " + output);
        return output.lines().toList();
    }
}
