package bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

import config.MaintenanceConfig;
import config.TableConfig;
import lake.EmbeddedIcebergLoadEngine;
import lake.IcebergTables;
import lake.LoadRequest;
import lake.TableMaintenance;
import lake.TestParquet;
import org.apache.avro.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;

/**
 * {@code maintain} on a table of many small loads: {@code --loads N} appends (1,000 by default) of {@code --rows R}
 * products each (100), each committed by the embedded engine as a run commits it (its data file, its snapshot, its
 * load ledger row); then the table is read once, every row decoded by Iceberg's generic reader, and maintained once
 * (compaction, every snapshot but the current expired, orphan files removed). Prints the files before and after, the
 * time of the read and of the maintenance, and their ratio (the target: at most 10 files, at most 3 times the read).
 * A benchmark, not a test: it asserts nothing but that the rows are the same.
 */
public final class MaintainBenchmark {

    private MaintainBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int loads = ConvertBenchmark.countArg(args, "--loads", 1000, 1);
        int rows = ConvertBenchmark.countArg(args, "--rows", 100, 1);
        Path dir = Files.createTempDirectory("maintain-bench-");
        try {
            MaintenanceConfig maintenance = new MaintenanceConfig(true, Duration.ofHours(24), true,
                    512L * 1024 * 1024, 5, 1, Duration.ZERO, true, Duration.ZERO);
            TableConfig table = new TableConfig(TableConfig.Catalog.HADOOP, dir.resolve("warehouse"), null, "data",
                    "products", TableConfig.Mode.APPEND, TableConfig.SchemaEvolution.NONE, Optional.empty(), false,
                    false, maintenance);
            System.out.printf(Locale.ROOT, "%,d loads of %,d rows; %d cores, load average %.2f%n", loads, rows,
                    Runtime.getRuntime().availableProcessors(), ConvertBenchmark.loadAverage());
            long loading = System.nanoTime();
            load(table, dir, loads, rows);
            System.out.printf(Locale.ROOT, "loaded in %.1f s%n", seconds(System.nanoTime() - loading));
            int filesBefore = IcebergTables.currentFiles(table).dataFiles().size();

            long reading = System.nanoTime();
            long read = countRows(IcebergTables.load(table));
            double readSeconds = seconds(System.nanoTime() - reading);

            if (System.getProperty("bench.copyTo") != null) {
                copy(dir.resolve("warehouse"), Path.of(System.getProperty("bench.copyTo")));
            }
            long maintaining = System.nanoTime();
            List<TableMaintenance.Result> results = new TableMaintenance(table).maintain();
            double maintainSeconds = seconds(System.nanoTime() - maintaining);
            results.forEach(result -> System.out.println(result.describe()));

            Table after = IcebergTables.load(table);
            long rowsAfter = countRows(after);
            if (rowsAfter != read || read != (long) loads * rows) {
                throw new IllegalStateException("rows before " + read + ", after " + rowsAfter);
            }
            System.out.printf(Locale.ROOT, "data files %,d -> %,d; read once %.2f s; maintain %.2f s (%.2f x the read);"
                    + " warehouse %,d files%n", filesBefore, IcebergTables.currentFiles(after).dataFiles().size(),
                    readSeconds, maintainSeconds, maintainSeconds / readSeconds, countFiles(dir.resolve("warehouse")));
        } finally {
            delete(dir);
        }
    }

    /** {@code loads} appends through the embedded engine, each its own small file, snapshot and ledger row. */
    private static void load(TableConfig table, Path dir, int loads, int rows) throws Exception {
        Schema schema = TestParquet.productSchema();
        EmbeddedIcebergLoadEngine engine = new EmbeddedIcebergLoadEngine(table, (software.amazon.awssdk.services.s3
                .S3Client) null);
        for (int i = 0; i < loads; i++) {
            Path file = TestParquet.write(dir.resolve("load-" + i + ".parquet"), schema, engine.fieldIds(schema),
                    TestParquet.products(i * rows, rows, "Brand " + i));
            String sha256 = HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(("load " + i).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            engine.load(new LoadRequest("run-" + i, "s3://bench/load-" + i + ".parquet", schema, rows, sha256,
                    "file", "load-" + i + ".csv", file, 1000 + i));
            Files.delete(file);
            if ((i + 1) % 100 == 0) {
                System.out.printf(Locale.ROOT, "  %,d loads%n", i + 1);
            }
        }
    }

    private static long countRows(Table table) throws IOException {
        long count = 0;
        try (CloseableIterable<Record> records = IcebergGenerics.read(table).build()) {
            for (Record ignored : records) {
                count++;
            }
        }
        return count;
    }

    private static long countFiles(Path folder) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile).count();
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path path : files.toList()) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path path : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
