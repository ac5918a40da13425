package bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The long-running service, warm: {@code bin/s3tables-pipeline} started without a once input (the service's JVM
 * options: C1 then C2), the generated products CSV dropped into its inbox once unmeasured, then once per round; each
 * run's convert stage ({@code stageMs.convert} of its run report) against DuckDB's warm COPY of the same file
 * ({@link DuckDbReference}), alternating. Prints each run's whole time (its report's {@code durationMs}, from the
 * inbox's pick-up to the report) and the service's peak RSS. A benchmark, not a test: it asserts no time.
 * docs/performance.md runs it.
 */
public final class WarmServiceBenchmark {

    private static final String COUNT = "SELECT count(*) AS n FROM \"data\".\"products\"";

    private WarmServiceBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        long rows = Long.parseLong(ConvertBenchmark.stringArg(args, "--rows", "5000000").replace("_", ""));
        long seed = Long.parseLong(ConvertBenchmark.stringArg(args, "--seed", "42"));
        int rounds = ConvertBenchmark.countArg(args, "--rounds", 5, 1);
        String heap = ConvertBenchmark.stringArg(args, "--heap", "-Xmx256m");
        Path python = Path.of(ConvertBenchmark.stringArg(args, "--duckdb-python",
                DuckDbReference.DEFAULT_PYTHON.toString()));
        Path dir = Files.createTempDirectory("warm-service-bench-");
        Process service = null;
        try (DuckDbReference duckdb = DuckDbReference.startWarm(python, dir.resolve("duckdb-warm.log"))) {
            Path csv = dir.resolve("products.csv");
            ConvertBenchmark.generateProducts(csv, rows, seed);
            Path data = dir.resolve("data");
            Path inbox = data.resolve("inbox");
            Files.createDirectories(inbox);
            Path log = dir.resolve("service.log");
            service = new ProcessBuilder(List.of(Path.of("bin", "s3tables-pipeline").toAbsolutePath().toString(),
                    heap, "-Dpipeline.data.dir=" + data, "-Dcamel.management.enabled=false",
                    "-Dpipeline.table.reloadSameInput=true", "-Dpipeline.query.sql=" + COUNT))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            System.out.printf(Locale.ROOT, "%,d rows, %,d bytes; %d cores, load average %.2f; ours: bin/s3tables-pipeline"
                    + " %s as the service, reference: DuckDB %s (Python, %s), threads=2%n", rows, Files.size(csv),
                    Runtime.getRuntime().availableProcessors(), ConvertBenchmark.loadAverage(), heap,
                    duckdb.version(), python);

            Set<Path> seen = new HashSet<>();
            JsonNode first = drop(csv, inbox, data, 0, rows, service, log, seen);
            System.out.printf(Locale.ROOT, "first run (unmeasured): convert %d ms, whole %d ms; %s%n",
                    first.path("stageMs").path("convert").asLong(), first.path("durationMs").asLong(),
                    jvmLine(log));
            duckdb.copy(csv, dir.resolve("duckdb.parquet"));

            List<Double> ours = new ArrayList<>();
            List<Double> theirs = new ArrayList<>();
            List<Double> ratios = new ArrayList<>();
            for (int round = 1; round <= rounds; round++) {
                double o = 0;
                double whole = 0;
                double[] d = null;
                for (boolean oursNow : round % 2 == 1 ? List.of(true, false) : List.of(false, true)) {
                    if (oursNow) {
                        JsonNode report = drop(csv, inbox, data, round, rows, service, log, seen);
                        o = report.path("stageMs").path("convert").asLong() / 1000.0;
                        whole = report.path("durationMs").asLong() / 1000.0;
                    } else {
                        Files.deleteIfExists(dir.resolve("duckdb.parquet"));
                        d = duckdb.copy(csv, dir.resolve("duckdb.parquet"));
                    }
                }
                ours.add(o);
                theirs.add(d[0]);
                ratios.add(o / d[0]);
                System.out.printf(Locale.ROOT, "round %d: ours convert %.3f s (whole run %.2f s), duckdb %.3f s (cpu %.2f"
                        + " s), ratio %.2f (load average %.2f)%n", round, o, whole, d[0], d[1], o / d[0],
                        ConvertBenchmark.loadAverage());
            }
            System.out.printf(Locale.ROOT, "ours: median convert %.3f s, service peak RSS %d MB; duckdb: median %.3f s,"
                    + " peak RSS %d MB%n", median(ours), MeasuredProcess.peakRssKb(Path.of("/proc",
                    Long.toString(service.pid()))) >> 10, median(theirs), duckdb.peakRssMb());
            System.out.printf(Locale.ROOT, "median ratio ours/duckdb (warm service convert / warm COPY): %.2f over %d "
                    + "rounds (load average %.2f)%n", median(ratios), rounds, ConvertBenchmark.loadAverage());
        } finally {
            if (service != null) {
                service.destroy();
                if (!service.waitFor(120, TimeUnit.SECONDS)) {
                    service.destroyForcibly();
                }
            }
            ConvertBenchmark.deleteTree(dir);
        }
    }

    /**
     * Drops the CSV into the inbox (a hard link, renamed in whole) and waits for its run's report; anything but
     * SUCCEEDED with every row written stops the benchmark.
     */
    private static JsonNode drop(Path csv, Path inbox, Path data, int round, long rows, Process service, Path log,
            Set<Path> seen) throws Exception {
        Path hidden = inbox.resolve(".products-" + round + ".part");
        Files.createLink(hidden, csv);
        Files.move(hidden, inbox.resolve("products-" + round + ".csv"), StandardCopyOption.ATOMIC_MOVE);
        Path runs = data.resolve("runs");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (!service.isAlive()) {
                throw new IllegalStateException("the service ended: " + tail(log));
            }
            if (Files.isDirectory(runs)) {
                try (Stream<Path> files = Files.list(runs)) {
                    for (Path report : files.filter(f -> f.toString().endsWith(".json")).toList()) {
                        if (seen.add(report)) {
                            JsonNode run = new ObjectMapper().readTree(report.toFile());
                            if (!run.path("status").asText().equals("SUCCEEDED")
                                    || run.path("rowsWritten").asLong() != rows) {
                                throw new IllegalStateException("the run did not load " + rows + " rows: " + run);
                            }
                            return run;
                        }
                    }
                }
            }
            service.waitFor(200, TimeUnit.MILLISECONDS);
        }
        throw new IllegalStateException("no run report within 10 minutes of the drop: " + tail(log));
    }

    private static String jvmLine(Path log) throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8).lines().filter(line -> line.contains("JVM of"))
                .map(line -> line.substring(line.indexOf("JVM of"))).findFirst().orElse("no JVM line in the log");
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readString(log, StandardCharsets.UTF_8).lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    private static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
