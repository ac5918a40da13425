package bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import config.TableConfig;
import lake.CommitIdentity;
import lake.EmbeddedIcebergLoadEngine;
import lake.IcebergTables;
import lake.LoadRequest;
import lake.TestParquet;
import org.apache.avro.Schema;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.Metrics;
import org.apache.iceberg.MetricsConfig;
import org.apache.iceberg.Table;
import org.apache.iceberg.Transaction;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.parquet.ParquetUtil;

/**
 * {@code maintain} on a table of many small loads: {@code --loads N} appends (1,000 by default) of {@code --rows R}
 * products each (100), each a data file and a snapshot of its own carrying the input's identity as a run's commit does
 * (built in one JVM, see {@link #load}); then the table is read once in this JVM, every row decoded by Iceberg's
 * generic reader, and maintained once by the real command, {@code bin/s3tables-pipeline maintain} in a fresh process
 * (the load ledger given the commits it lacks, compaction, every snapshot but the current expired, orphan files
 * removed). Prints the files before and after, the time of the read and of the command (its JVM's start included),
 * and their ratio (the target: at most 10 files, at most 3 times the read). A benchmark, not a test: it asserts
 * nothing but that the rows are the same.
 */
public final class MaintainBenchmark {

    private MaintainBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int loads = ConvertBenchmark.countArg(args, "--loads", 1000, 1);
        int rows = ConvertBenchmark.countArg(args, "--rows", 100, 1);
        Path dir = Files.createTempDirectory("maintain-bench-");
        try {
            TableConfig table = new TableConfig(TableConfig.Catalog.HADOOP, dir.resolve("warehouse"), null, "data",
                    "products", TableConfig.Mode.APPEND, TableConfig.SchemaEvolution.NONE);
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
                MergeBenchmark.copyTree(dir.resolve("warehouse"), Path.of(System.getProperty("bench.copyTo")));
            }
            // the real command, as a user runs it: a fresh process started by the launcher, the data dir's lock held
            MeasuredProcess maintain = MeasuredProcess.run(List.of(
                    Path.of("bin", "s3tables-pipeline").toAbsolutePath().toString(), "-Xmx256m",
                    "-Dpipeline.data.dir=" + dir, "-Dpipeline.table.mode=append",
                    "-Dpipeline.table.maintenance.keepSnapshots=1",
                    "-Dpipeline.table.maintenance.expireSnapshotsAfter=0s",
                    "-Dpipeline.table.maintenance.orphanFilesAfter=0s", "maintain"), Path.of(""),
                    dir.resolve("maintain.log"));
            double maintainSeconds = maintain.seconds();
            System.out.print(maintain.output().lines().filter(line -> line.startsWith("data.products"))
                    .map(line -> line + System.lineSeparator()).reduce("", String::concat));
            Table after = IcebergTables.load(table);
            long rowsAfter = countRows(after);
            if (rowsAfter != read || read != (long) loads * rows) {
                throw new IllegalStateException("rows before " + read + ", after " + rowsAfter);
            }
            System.out.printf(Locale.ROOT, "data files %,d -> %,d; read once %.2f s; maintain %s (%.2f x the read);"
                    + " warehouse %,d files; load average %.2f%n", filesBefore,
                    IcebergTables.currentFiles(after).dataFiles().size(), readSeconds, maintain.describe(),
                    maintainSeconds / readSeconds, countFiles(dir.resolve("warehouse")), ConvertBenchmark.loadAverage());
        } finally {
            delete(dir);
        }
    }

    /**
     * {@code loads} appends as the app commits them, built fast: the first by the embedded engine (it creates the
     * table and its load ledger), the others each a small data file written into the table's folder and an append
     * carrying the same summary a run's commit does ({@link CommitIdentity#summaryOf}), all in one transaction, so that
     * the table's metadata is written once instead of once per load; each append is still a snapshot of its own. The
     * ledger lacks their rows, which maintain writes first, as it does for any commit the ledger lacks.
     */
    private static void load(TableConfig table, Path dir, int loads, int rows) throws Exception {
        Schema schema = TestParquet.productSchema();
        EmbeddedIcebergLoadEngine engine = new EmbeddedIcebergLoadEngine(table, (software.amazon.awssdk.services.s3
                .S3Client) null);
        int[] fieldIds = engine.fieldIds(schema);
        Path first = TestParquet.write(dir.resolve("load-0.parquet"), schema, fieldIds,
                TestParquet.products(0, rows, "Brand 0"));
        engine.load(request(0, rows, schema, first));
        Files.delete(first);
        Table target = IcebergTables.load(table);
        Transaction transaction = target.newTransaction();
        // every later load's file holds the same rows as the second (the rows do not matter to maintain): one Parquet
        // written, then copied, with its metrics read once
        Path second = TestParquet.write(dir.resolve("load-1.parquet"), schema, fieldIds,
                TestParquet.products(rows, rows, "Brand 1"));
        Metrics metrics = ParquetUtil.fileMetrics(org.apache.iceberg.Files.localInput(second.toFile()),
                MetricsConfig.forTable(target));
        for (int i = 1; i < loads; i++) {
            String location = target.locationProvider().newDataLocation("load-" + i + ".parquet");
            Path file = Path.of(java.net.URI.create(location.startsWith("file:") ? location : "file:" + location));
            Files.createDirectories(file.getParent());
            Files.copy(second, file);
            DataFile dataFile = DataFiles.builder(target.spec())
                    .withPath(location)
                    .withFormat(FileFormat.PARQUET)
                    .withFileSizeInBytes(Files.size(file))
                    .withMetrics(metrics)
                    .build();
            AppendFiles append = transaction.newAppend().appendFile(dataFile);
            CommitIdentity.summaryOf(request(i, rows, schema, file), TableConfig.Mode.APPEND).forEach(append::set);
            append.commit();
            if ((i + 1) % 100 == 0) {
                System.out.printf(Locale.ROOT, "  %,d loads%n", i + 1);
            }
        }
        transaction.commitTransaction();
    }

    private static LoadRequest request(int i, int rows, Schema schema, Path file) throws Exception {
        String sha256 = HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(("load " + i).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        return new LoadRequest("run-" + i, "s3://bench/load-" + i + ".parquet", schema, rows, sha256, "file",
                "load-" + i + ".csv", file, 1000 + i);
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
