package bench;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import config.MergeConfig;
import config.TableConfig;
import core.RowLines;
import lake.EmbeddedIcebergLoadEngine;
import lake.IcebergTables;
import lake.LoadRequest;
import lake.MergeInput;
import org.apache.iceberg.Table;
import org.apache.parquet.avro.AvroSchemaConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.LocalInputFile;

/**
 * A merge on a key into a large table: a {@code --rows} table (5,000,000 products by default), then an input of
 * {@code --input} rows (50,000), half of them keys of the table picked at random with new values, half new keys.
 * <p>
 * Cold, each in a fresh process and each on a fresh copy of the table: our one-shot merging the input
 * ({@code pipeline.table.mode=merge}, {@code pipeline.table.key=product_id}), our one-shot appending it, and
 * {@code src/test/python/pyiceberg_upsert.py} (pyiceberg's {@code upsert}) merging it into the same table written by
 * {@code pyiceberg_load.py}; alternating, with the run report's load stage and the script's upsert call timed inside.
 * Warm, in this JVM after a warm-up: the embedded engine's merge (reading the input's keys included) against its append
 * of the same Parquet, each into a fresh table of the same base file. Prints the median ratios side by side. A
 * benchmark, not a test: it asserts no time, only that each side ends with the same number of rows.
 */
public final class MergeBenchmark {

    private static final String COUNT = "SELECT count(*) AS n FROM \"data\".\"products\"";

    private MergeBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rows = ConvertBenchmark.countArg(args, "--rows", 5_000_000, 2);
        int input = ConvertBenchmark.countArg(args, "--input", 50_000, 2);
        int rounds = ConvertBenchmark.countArg(args, "--rounds", 3, 1);
        int warmRounds = ConvertBenchmark.countArg(args, "--warm-rounds", 3, 0);
        Path dir = Files.createTempDirectory("merge-bench-");
        try {
            Path baseCsv = dir.resolve("products.csv");
            ConvertBenchmark.generateProducts(baseCsv, rows, 42);
            Path inputCsv = dir.resolve("corrected.csv");
            writeInput(inputCsv, rows, input, 7);
            long expected = rows + input / 2;
            System.out.printf(Locale.ROOT, "table %,d rows, input %,d rows (%,d updated keys, %,d new); %d cores,"
                    + " load average %.2f%n", rows, input, input / 2, input - input / 2,
                    Runtime.getRuntime().availableProcessors(), ConvertBenchmark.loadAverage());

            // each side's table is written once where it is used, then kept aside and copied back before each run:
            // both catalogs write absolute paths
            Path ours = dir.resolve("ours");
            Path oursBase = dir.resolve("ours-base");
            run(oneShot(baseCsv, ours, "append"), dir, "base-ours");
            ConvertBenchmark.deleteTree(ours.resolve("s3"));
            Files.move(ours, oursBase);
            Path script = dir.resolve("script");
            Path scriptBase = dir.resolve("script-base");
            run(List.of(python(), script("pyiceberg_load.py"), baseCsv.toString(), script.toString()), dir,
                    "base-script");
            Files.move(script, scriptBase);

            List<Double> merge = new ArrayList<>();
            List<Double> append = new ArrayList<>();
            List<Double> upsert = new ArrayList<>();
            List<Double> mergeCpu = new ArrayList<>();
            List<Double> appendCpu = new ArrayList<>();
            List<Double> upsertCpu = new ArrayList<>();
            List<Double> mergeLoad = new ArrayList<>();
            List<Double> appendLoad = new ArrayList<>();
            List<Double> upsertCall = new ArrayList<>();
            for (int round = 1; round <= rounds; round++) {
                List<String> order = round % 2 == 1 ? List.of("merge", "append", "upsert")
                        : List.of("upsert", "append", "merge");
                for (String side : order) {
                    if (side.equals("upsert")) {
                        copyTree(scriptBase, script);
                        MeasuredProcess p = run(List.of(python(), script("pyiceberg_upsert.py"), inputCsv.toString(),
                                script.toString()), dir, "upsert-" + round);
                        if (!p.output().contains("rows " + expected + " ")) {
                            throw new IllegalStateException("the upsert did not end with " + expected + " rows: "
                                                            + p.output());
                        }
                        upsert.add(p.seconds());
                        upsertCpu.add(p.cpuSeconds());
                        upsertCall.add(Double.parseDouble(p.output().replaceAll("(?s).* upsert ([0-9.]+) s.*", "$1")));
                        System.out.printf(Locale.ROOT, "round %d: pyiceberg upsert %s; its upsert call %.2f s%n",
                                round, p.describe(), upsertCall.get(upsertCall.size() - 1));
                        ConvertBenchmark.deleteTree(script);
                    } else {
                        copyTree(oursBase, ours);
                        MeasuredProcess p = run(oneShot(inputCsv, ours, side), dir, side + "-" + round);
                        JsonNode report = newestReport(ours);
                        long total = tableRows(ours.resolve("warehouse"));
                        long wanted = side.equals("merge") ? expected : rows + input;
                        if (!report.path("status").asText().equals("SUCCEEDED") || total != wanted) {
                            throw new IllegalStateException("the " + side + " did not end with " + wanted + " rows: "
                                                            + report);
                        }
                        double load = report.path("stageMs").path("load").asLong() / 1000.0;
                        (side.equals("merge") ? merge : append).add(p.seconds());
                        (side.equals("merge") ? mergeCpu : appendCpu).add(p.cpuSeconds());
                        (side.equals("merge") ? mergeLoad : appendLoad).add(load);
                        System.out.printf(Locale.ROOT, "round %d: ours %-6s %s; %s%n", round, side, p.describe(),
                                report.path("stageMs"));
                        ConvertBenchmark.deleteTree(ours);
                    }
                }
            }
            System.out.printf(Locale.ROOT, "cold CPU, median of %d: merge %.2f s, append %.2f s, pyiceberg upsert"
                    + " %.2f s; merge/append %.2f, merge/upsert %.2f%n", rounds, median(mergeCpu), median(appendCpu),
                    median(upsertCpu), median(ratios(mergeCpu, appendCpu)), median(ratios(mergeCpu, upsertCpu)));
            Path baseFile = onlyDataFile(oursBase);
            ConvertBenchmark.deleteTree(scriptBase);
            System.out.printf(Locale.ROOT, "cold, one process each, median of %d: merge %.2f s, append %.2f s,"
                    + " pyiceberg upsert %.2f s; merge/append %.2f, merge/upsert %.2f%n", rounds, median(merge),
                    median(append), median(upsert), median(ratios(merge, append)), median(ratios(merge, upsert)));
            System.out.printf(Locale.ROOT, "inside the process, median of %d: our load stage merging %.2f s,"
                    + " appending %.2f s; pyiceberg's upsert call %.2f s; merge/append %.2f, merge/upsert %.2f%n",
                    rounds, median(mergeLoad), median(appendLoad), median(upsertCall),
                    median(ratios(mergeLoad, appendLoad)), median(ratios(mergeLoad, upsertCall)));
            if (warmRounds > 0) {
                warm(dir, baseFile, inputFile(dir, oursBase, inputCsv), warmRounds, rows, input);
            }
            System.out.printf(Locale.ROOT, "load average %.2f%n", ConvertBenchmark.loadAverage());
        } finally {
            ConvertBenchmark.deleteTree(dir);
        }
    }

    /**
     * The embedded engine's merge against its append of the input's Parquet, in this JVM, each into a fresh table
     * holding the base file; a first round of each warms up and is not counted.
     */
    private static void warm(Path dir, Path baseFile, Path inputFile, int rounds, int rows, int input)
            throws Exception {
        List<Double> merge = new ArrayList<>();
        List<Double> append = new ArrayList<>();
        for (int round = 0; round <= rounds; round++) {
            for (TableConfig.Mode mode : round % 2 == 0 ? List.of(TableConfig.Mode.MERGE, TableConfig.Mode.APPEND)
                    : List.of(TableConfig.Mode.APPEND, TableConfig.Mode.MERGE)) {
                Path warehouse = dir.resolve("warm-" + round + "-" + mode);
                MergeConfig keys = mode == TableConfig.Mode.MERGE
                        ? new MergeConfig(List.of("product_id"), MergeConfig.OnDuplicateKey.FAIL, Optional.empty())
                        : MergeConfig.NONE;
                TableConfig table = new TableConfig(TableConfig.Catalog.HADOOP, warehouse, null, "data", "products",
                        mode, TableConfig.SchemaEvolution.NONE, Optional.empty(), false, false, keys);
                // the base goes in by an append, untimed
                new EmbeddedIcebergLoadEngine(new TableConfig(TableConfig.Catalog.HADOOP, warehouse, null, "data",
                        "products", TableConfig.Mode.APPEND, TableConfig.SchemaEvolution.NONE),
                        (software.amazon.awssdk.services.s3.S3Client) null).load(request("base", baseFile, rows, null));
                EmbeddedIcebergLoadEngine engine = new EmbeddedIcebergLoadEngine(table,
                        (software.amazon.awssdk.services.s3.S3Client) null);
                long started = System.nanoTime();
                MergeInput keysRead = mode == TableConfig.Mode.MERGE
                        ? MergeInput.read(inputFile, IcebergTables.load(table).schema(), keys,
                                RowLines.oneLineEach(), inputFile.toString())
                        : null;
                engine.load(request("input", inputFile, input, keysRead));
                double seconds = ConvertBenchmark.seconds(System.nanoTime() - started);
                long total = tableRows(warehouse);
                long wanted = mode == TableConfig.Mode.MERGE ? rows + input / 2 : rows + input;
                if (total != wanted) {
                    throw new IllegalStateException(mode + " ended with " + total + " rows, not " + wanted);
                }
                if (round > 0) {
                    (mode == TableConfig.Mode.MERGE ? merge : append).add(seconds);
                }
                System.out.printf(Locale.ROOT, "warm %s: %s %.2f s%n", round == 0 ? "warm-up" : "round " + round,
                        mode.toString().toLowerCase(Locale.ROOT), seconds);
                ConvertBenchmark.deleteTree(warehouse);
            }
        }
        System.out.printf(Locale.ROOT, "warm, the embedded engine in one JVM, median of %d: merge %.2f s, append"
                + " %.2f s; merge/append %.2f%n", rounds, median(merge), median(append),
                median(ratios(merge, append)));
    }

    /** The rows of the table in {@code warehouse} (a Hadoop catalog's), by its current snapshot: less those deleted. */
    private static long tableRows(Path warehouse) {
        Table table = IcebergTables.load(new TableConfig(TableConfig.Catalog.HADOOP, warehouse, null, "data",
                "products", TableConfig.Mode.APPEND, TableConfig.SchemaEvolution.NONE));
        Map<String, String> summary = table.currentSnapshot().summary();
        return Long.parseLong(summary.get("total-records"))
               - Long.parseLong(summary.getOrDefault("total-position-deletes", "0"));
    }

    private static LoadRequest request(String name, Path parquet, long rows, MergeInput merge) throws Exception {
        org.apache.avro.Schema schema;
        try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(parquet))) {
            schema = new AvroSchemaConverter().convert(reader.getFooter().getFileMetaData().getSchema());
        }
        String sha256 = HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest((name + System.nanoTime()).getBytes(StandardCharsets.UTF_8)));
        return new LoadRequest("run-" + name, "s3://bench/" + name + ".parquet", schema, rows, sha256, "file",
                name + ".csv", parquet, -1, merge);
    }

    /** The input: {@code input / 2} random keys of the table with new values, then as many keys after its last. */
    private static void writeInput(Path csv, int rows, int input, long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        BitSet updated = new BitSet(rows + 1);
        while (updated.cardinality() < input / 2) {
            updated.set(1 + random.nextInt(rows));
        }
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(csv), 1 << 16)) {
            out.write("product_id,product_name,product_category,brand\n".getBytes(StandardCharsets.US_ASCII));
            for (int id = updated.nextSetBit(0); id >= 0; id = updated.nextSetBit(id + 1)) {
                out.write(line(id, "Corrected"));
            }
            for (int id = rows + 1; id <= rows + input - input / 2; id++) {
                out.write(line(id, "New"));
            }
        }
    }

    private static byte[] line(int id, String word) {
        return (id + "," + word + " product " + id + ",Garden,Lodge\n").getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> oneShot(Path csv, Path data, String mode) {
        List<String> command = new ArrayList<>(List.of(Path.of("bin", "s3tables-pipeline").toAbsolutePath().toString(),
                "-Xmx256m", "-Dpipeline.once=" + csv, "-Dpipeline.data.dir=" + data, "-Dpipeline.query.sql=" + COUNT,
                "-Dpipeline.table.mode=" + mode));
        if (mode.equals("merge")) {
            command.add("-Dpipeline.table.key=product_id");
        }
        return command;
    }

    private static MeasuredProcess run(List<String> command, Path dir, String name) throws Exception {
        return MeasuredProcess.run(command, Path.of(""), dir.resolve(name + ".log"));
    }

    private static String python() {
        return Path.of(".venv", "bin", "python").toAbsolutePath().toString();
    }

    private static String script(String name) {
        return Path.of("src", "test", "python", name).toAbsolutePath().toString();
    }

    /** The run report written last in {@code data}. */
    private static JsonNode newestReport(Path data) throws IOException {
        try (Stream<Path> files = Files.list(data.resolve("runs"))) {
            Path newest = files.filter(p -> p.toString().endsWith(".json"))
                    .max((a, b) -> Long.compare(a.toFile().lastModified(), b.toFile().lastModified()))
                    .orElseThrow(() -> new IllegalStateException("no run report in " + data));
            return new ObjectMapper().readTree(newest.toFile());
        }
    }

    /** The one data file of the base table the one-shot wrote. */
    private static Path onlyDataFile(Path data) throws IOException {
        try (Stream<Path> files = Files.walk(data)) {
            List<Path> parquet = files.filter(p -> p.toString().endsWith(".parquet") && p.toString().contains(
                    "/products/data/")).toList();
            if (parquet.size() != 1) {
                throw new IllegalStateException("expected one data file in " + data + ", found " + parquet);
            }
            return parquet.get(0);
        }
    }

    /** The input's Parquet as our convert writes it: the data file a one-shot append of it adds to a copy of the base. */
    private static Path inputFile(Path dir, Path oursBase, Path inputCsv) throws Exception {
        Path data = dir.resolve("ours");
        copyTree(oursBase, data);
        run(oneShot(inputCsv, data, "append"), dir, "input-parquet");
        Path base = onlyDataFile(oursBase).getFileName();
        try (Stream<Path> files = Files.walk(data)) {
            Path added = files.filter(p -> p.toString().endsWith(".parquet") && p.toString().contains(
                    "/products/data/") && !p.getFileName().equals(base)).findFirst().orElseThrow();
            Path kept = dir.resolve("input.parquet");
            Files.copy(added, kept);
            return kept;
        }
    }

    /** Copies the folder {@code from} and everything under it to {@code to}, the files with their attributes. */
    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path path : files.toList()) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    private static List<Double> ratios(List<Double> ours, List<Double> other) {
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < ours.size(); i++) {
            ratios.add(ours.get(i) / other.get(i));
        }
        return ratios;
    }

    private static double median(List<Double> values) {
        return median(values, v -> v);
    }

    private static <T> double median(List<T> values, ToDoubleFunction<T> value) {
        double[] sorted = values.stream().mapToDouble(value).sorted().toArray();
        int n = sorted.length;
        return n == 0 ? Double.NaN : n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
