package bench;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The whole one-shot run as a user starts it ({@code bin/s3tables-pipeline}, a fresh JVM, the build's AppCDS archive)
 * against {@code src/test/python/pyiceberg_load.py} doing the same job from the test {@code .venv}: CSV in, Iceberg
 * table written, full count out. Alternating, each in a fresh process; prints wall time, CPU time and peak RSS of
 * both, the median ratio, and the run report's stage times. A benchmark, not a test: it asserts no time.
 * {@code --csv samples/products.csv} runs the README's 20 rows instead of a generated products CSV; {@code --options
 * "-Ds3tables.nativeDigests=false"} gives the launcher more options after the heap ({@code --heap}, -Xmx256m).
 * {@code --versus-ours} sets ours against ours without those options instead of the script: what the options cost
 * ({@code --options -Dpipeline.convert.schema= --versus-ours}: a schema inferred from the CSV against the bundled one).
 * {@code --gzip} sets ours reading the CSV compressed by gzip against ours reading it plain, with the same options.
 */
public final class WholeRunBenchmark {

    private static final String COUNT = "SELECT count(*) AS n FROM \"data\".\"products\"";

    private WholeRunBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        long rows = longArg(args, "--rows", 5_000_000);
        int rounds = ConvertBenchmark.countArg(args, "--rounds", 3, 1);
        // the launcher's options: the heap, and any other JVM option or setting being measured
        List<String> options = new ArrayList<>(List.of(stringArg(args, "--heap", "-Xmx256m")));
        String more = stringArg(args, "--options", "").trim();
        if (!more.isEmpty()) {
            options.addAll(List.of(more.split("\\s+")));
        }
        // the other side: the script, or ours with the heap alone
        boolean gzip = List.of(args).contains("--gzip");
        List<String> versus = gzip ? options : List.of(args).contains("--versus-ours") ? options.subList(0, 1) : null;
        Path dir = Files.createTempDirectory("whole-run-bench-");
        try {
            Path csv;
            String given = stringArg(args, "--csv", "");
            if (given.isEmpty()) {
                csv = dir.resolve("products.csv");
                ConvertBenchmark.generateProducts(csv, rows, longArg(args, "--seed", 42));
            } else {
                csv = Path.of(given).toAbsolutePath();
                try (Stream<String> lines = Files.lines(csv)) {
                    rows = lines.count() - 1;
                }
            }
            System.out.printf(Locale.ROOT, "%,d rows, %,d bytes; %d cores, load average %.2f; ours: "
                    + "bin/s3tables-pipeline %s, %s%n", rows, Files.size(csv),
                    Runtime.getRuntime().availableProcessors(), ConvertBenchmark.loadAverage(),
                    String.join(" ", options), versus != null
                            ? "plain: bin/s3tables-pipeline " + String.join(" ", versus)
                            : "script: .venv/bin/python src/test/python/pyiceberg_load.py");
            Path oursCsv = gzip ? gzipped(csv, dir.resolve(csv.getFileName() + ".gz")) : csv;
            if (gzip) {
                System.out.printf(Locale.ROOT, "ours read %s (%,d bytes), plain the CSV%n", oursCsv.getFileName(),
                        Files.size(oursCsv));
            }
            compare(oursCsv, csv, rows, rounds, options, versus, dir);
        } finally {
            ConvertBenchmark.deleteTree(dir);
        }
    }

    /** {@code csv} compressed by gzip at its default level into {@code target}. */
    private static Path gzipped(Path csv, Path target) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(target), 1 << 16)) {
            Files.copy(csv, out);
        }
        return target;
    }

    private static void compare(Path csv, Path plainCsv, long rows, int rounds, List<String> options,
            List<String> versus, Path dir) throws Exception {
        String other = versus != null ? "plain" : "script";
        List<MeasuredProcess> ours = new ArrayList<>();
        List<MeasuredProcess> script = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        // each run's wall time by the side that ran just before it ("ours after script", ...)
        Map<String, List<Double>> byPredecessor = new TreeMap<>();
        String previous = null;
        // each side's output is deleted once measured: the write-back of its pages would land in the next runs
        for (int round = 1; round <= rounds; round++) {
            MeasuredProcess o = null;
            MeasuredProcess s = null;
            for (boolean oursNow : round % 2 == 1 ? List.of(true, false) : List.of(false, true)) {
                if (oursNow) {
                    Path data = dir.resolve("data-" + round);
                    o = ours(csv, options, data, dir.resolve("ours-" + round + ".log"));
                    System.out.printf(Locale.ROOT, "round %d: ours   %s; %s%n", round, o.describe(),
                            stages(data, rows));
                    ConvertBenchmark.deleteTree(data);
                } else if (versus != null) {
                    Path data = dir.resolve("plain-" + round);
                    s = ours(plainCsv, versus, data, dir.resolve("plain-" + round + ".log"));
                    System.out.printf(Locale.ROOT, "round %d: plain  %s; %s%n", round, s.describe(),
                            stages(data, rows));
                    ConvertBenchmark.deleteTree(data);
                } else {
                    Path warehouse = dir.resolve("script-" + round);
                    s = MeasuredProcess.run(List.of(Path.of(".venv", "bin", "python").toAbsolutePath().toString(),
                            Path.of("src", "test", "python", "pyiceberg_load.py").toAbsolutePath().toString(),
                            csv.toString(), warehouse.toString()), Path.of(""), dir.resolve("script-" + round + ".log"));
                    if (!s.output().contains("rows " + rows)) {
                        throw new IllegalStateException("the script did not count " + rows + " rows: " + s.output());
                    }
                    System.out.printf(Locale.ROOT, "round %d: script %s%n", round, s.describe());
                    ConvertBenchmark.deleteTree(warehouse);
                }
                String side = oursNow ? "ours" : other;
                if (previous != null) {
                    byPredecessor.computeIfAbsent(side + " after " + previous, k -> new ArrayList<>())
                            .add(oursNow ? o.seconds() : s.seconds());
                }
                previous = side;
            }
            ours.add(o);
            script.add(s);
            ratios.add(o.seconds() / s.seconds());
        }
        System.out.printf(Locale.ROOT, "ours:   median %.2f s wall, cpu %.2f s, peak RSS %d MB%n",
                median(ours, MeasuredProcess::seconds), median(ours, MeasuredProcess::cpuSeconds),
                (long) median(ours, p -> p.peakRssKb() / 1024.0));
        System.out.printf(Locale.ROOT, "%-7s median %.2f s wall, cpu %.2f s, peak RSS %d MB%n", other + ":",
                median(script, MeasuredProcess::seconds), median(script, MeasuredProcess::cpuSeconds),
                (long) median(script, p -> p.peakRssKb() / 1024.0));
        // the script's system time depends on what ran before it (its 800 MB of pages); ours hardly does
        System.out.printf(Locale.ROOT, "by the run before: %s%n", String.join(", ", byPredecessor.entrySet().stream()
                .map(e -> String.format(Locale.ROOT, "%s median %.2f s (%d)", e.getKey(), median(e.getValue(), t -> t),
                        e.getValue().size()))
                .toList()));
        System.out.printf(Locale.ROOT, "median ratio ours/%s: %.2f over %d rounds (load average %.2f)%n", other,
                median(ratios, r -> r), rounds, ConvertBenchmark.loadAverage());
    }

    /** Our one-shot run of {@code csv}, as a user starts it with {@code options}. */
    private static MeasuredProcess ours(Path csv, List<String> options, Path data, Path log) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of("bin", "s3tables-pipeline").toAbsolutePath().toString());
        command.addAll(options);
        command.addAll(List.of("-Dpipeline.once=" + csv, "-Dpipeline.data.dir=" + data,
                "-Dpipeline.query.sql=" + COUNT));
        return MeasuredProcess.run(command, Path.of(""), log);
    }

    /** The run report's outcome and stage times; anything but SUCCEEDED with every row written stops the benchmark. */
    private static String stages(Path data, long rows) throws Exception {
        JsonNode report;
        try (Stream<Path> files = Files.list(data.resolve("runs"))) {
            List<Path> reports = files.filter(p -> p.toString().endsWith(".json")).toList();
            if (reports.size() != 1) {
                throw new IllegalStateException("expected one run report in " + data + ", found " + reports);
            }
            report = new ObjectMapper().readTree(reports.get(0).toFile());
        }
        if (!report.path("status").asText().equals("SUCCEEDED") || report.path("rowsWritten").asLong() != rows) {
            throw new IllegalStateException("the run did not load " + rows + " rows: " + report);
        }
        StringBuilder stages = new StringBuilder("stageMs");
        for (Iterator<Map.Entry<String, JsonNode>> it = report.path("stageMs").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> stage = it.next();
            stages.append(' ').append(stage.getKey()).append('=').append(stage.getValue().asLong());
        }
        return stages.toString();
    }

    private static <T> double median(List<T> values, ToDoubleFunction<T> value) {
        double[] sorted = values.stream().mapToDouble(value).sorted().toArray();
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static long longArg(String[] args, String name, long defaultValue) {
        return Long.parseLong(stringArg(args, name, Long.toString(defaultValue)).replace("_", ""));
    }

    private static String stringArg(String[] args, String name, String defaultValue) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return defaultValue;
    }
}
