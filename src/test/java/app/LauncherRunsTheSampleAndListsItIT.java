package app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged app through the README's launcher, {@code bin/s3tables-pipeline}: a one-shot run of the bundled sample
 * ends SUCCEEDED with its 20 rows on the AppCDS archive the build made (the JVM warns of none that does not match)
 * and the one-shot's JVM options (C1 alone, one compiler thread, BoringSSL's digests),
 * DuckDB's native library loaded from beside its jar (nothing of it unpacked into the temporary folder), and
 * {@code runs} after the options lists that run; {@code schema} prints the schema it infers from a CSV.
 */
class LauncherRunsTheSampleAndListsItIT {

    private static final Path LAUNCHER = Path.of("bin", "s3tables-pipeline").toAbsolutePath();

    @TempDir
    Path dir;

    @Test
    void theSampleRunsAndTheRunsCommandListsIt() throws Exception {
        Path data = dir.resolve("data");
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        String once;
        List<String> unpacked;
        try (WatchService watch = tmp.getFileSystem().newWatchService()) {
            tmp.register(watch, StandardWatchEventKinds.ENTRY_CREATE);
            once = launch(List.of("-Djava.io.tmpdir=" + tmp, "-Dpipeline.once=samples/products.csv",
                    "-Dpipeline.data.dir=" + data), 0);
            unpacked = created(watch);
        }
        assertTrue(once.contains("20 rows"), once);
        assertFalse(once.contains("[cds]"), "the archive matches the jar: " + once);
        // the one-shot's start-up options (bin/jvm-oneshot.options), as the JVM itself reports them
        String jvm = once.lines().filter(line -> line.contains("JVM of a one-shot run")).findFirst().orElse(once);
        assertTrue(jvm.contains("compilers C1 alone (-XX:TieredStopAtLevel=1), 1 compiler thread(s), ParallelGC")
                && jvm.contains("-Ds3tables.nativeDigests=true"), jvm);
        // the other native libraries (Snappy's, Conscrypt's) still unpack there: the watch saw them
        assertFalse(unpacked.isEmpty(), "nothing created in " + tmp);
        assertTrue(unpacked.stream().noneMatch(name -> name.startsWith("libduckdb_java")),
                "DuckDB's library loads from target/lib, not unpacked again: " + unpacked);

        List<Path> reports;
        try (var files = Files.list(data.resolve("runs"))) {
            reports = files.filter(f -> f.toString().endsWith(".json")).toList();
        }
        assertEquals(1, reports.size(), String.valueOf(reports));
        JsonNode report = new ObjectMapper().readTree(reports.get(0).toFile());
        assertEquals("SUCCEEDED", report.get("status").asText());

        String runs = launch(List.of("-Dpipeline.data.dir=" + data, "runs", "--last", "5"), 0);
        assertTrue(runs.contains(report.get("runId").asText()) && runs.contains("SUCCEEDED"), runs);

        String usage = launch(List.of("-Dpipeline.data.dir=" + data, "runs", "--bogus"), 2);
        assertTrue(usage.contains("unexpected argument --bogus"), usage);
    }

    @Test
    void theSchemaCommandPrintsTheSchemaItInfers() throws Exception {
        String schema = launch(List.of("-Dpipeline.convert.delimiter=comma", "schema", "samples/products.csv",
                "--sample", "5"), 0);

        assertTrue(schema.contains("\"name\" : \"product_id\",\n    \"type\" : \"int\""), schema);
        assertTrue(schema.contains("from the first 5 data row(s) of samples/products.csv"), schema);
        String usage = launch(List.of("schema"), 2);
        assertTrue(usage.contains("usage: schema <csv> [--sample N]"), usage);
    }

    /** The names of the files created in the watched folder (deleted since, at the JVM's exit). */
    private static List<String> created(WatchService watch) throws InterruptedException {
        List<String> names = new ArrayList<>();
        for (WatchKey key = watch.poll(5, TimeUnit.SECONDS); key != null; key = watch.poll(1, TimeUnit.SECONDS)) {
            for (WatchEvent<?> event : key.pollEvents()) {
                names.add(String.valueOf(event.context()));
            }
            key.reset();
        }
        return names;
    }

    /** Runs the launcher with {@code args}; returns its output (stdout and stderr), the exit code checked. */
    private String launch(List<String> args, int exitCode) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(LAUNCHER.toString());
        command.addAll(args);
        Path output = Files.createTempFile(dir, "launcher", ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile())
                .start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(command + " did not end within 120 s: " + Files.readString(output));
        }
        String text = Files.readString(output, StandardCharsets.UTF_8);
        assertEquals(exitCode, process.exitValue(), command + " exit code; output: " + text);
        return text;
    }
}
