package support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

import app.Application;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.avro.generic.GenericRecord;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.test.main.junit5.CamelMainTestSupport;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.schema.MessageType;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The whole application (every route, the embedded S3 server, the local profile) on a fresh data folder per test,
 * with helpers to wait for run reports and to read back what landed in S3.
 */
public abstract class PipelineTestSupport extends CamelMainTestSupport {

    protected static final ObjectMapper JSON = new ObjectMapper();

    /** Made when the context is configured, which happens in the constructor of the Camel test support. */
    protected Path dataDir;

    /** Properties of this test on top of the local profile (the data folder is set already). */
    protected Properties testProperties() {
        return new Properties();
    }

    @Override
    protected void configure(MainConfigurationProperties main) {
        Application.configure(main);
    }

    /** The profile of this test: {@code local}, or {@code aws} against moto. */
    protected String profile() {
        return "local";
    }

    @Override
    protected String getPropertyPlaceholderLocations() {
        // the first location wins, as with camel.main.profile
        return "classpath:application-" + profile() + ".properties,classpath:application.properties";
    }

    @Override
    protected Properties useOverridePropertiesWithPropertiesComponent() {
        try {
            Files.createDirectories(Path.of("target", "test-data"));
            dataDir = Files.createTempDirectory(Path.of("target", "test-data"), getClass().getSimpleName() + "-")
                    .toAbsolutePath();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Properties properties = new Properties();
        properties.setProperty("pipeline.data.dir", dataDir.toString());
        properties.setProperty("pipeline.errors.redeliveryDelay", "50ms");
        properties.putAll(testProperties());
        return properties;
    }

    protected Path inbox() {
        return dataDir.resolve("inbox");
    }

    /** Waits until {@code count} run reports exist and returns them, in the order the runs started. */
    protected List<JsonNode> awaitReports(int count, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<JsonNode> reports = reports();
            if (reports.size() >= count) {
                return reports;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("expected " + count + " run reports within " + timeout + ", found "
                                         + reports.size() + ": " + reports);
            }
            Thread.sleep(100);
        }
    }

    protected JsonNode awaitReport() throws Exception {
        return awaitReports(1, Duration.ofSeconds(30)).get(0);
    }

    protected List<JsonNode> reports() throws IOException {
        Path runs = dataDir.resolve("runs");
        if (!Files.isDirectory(runs)) {
            return List.of();
        }
        List<JsonNode> reports = new ArrayList<>();
        try (Stream<Path> files = Files.list(runs)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                reports.add(JSON.readTree(file.toFile()));
            }
        }
        reports.sort(java.util.Comparator.comparing(r -> r.get("startedAt").asText()));
        return reports;
    }

    protected S3Client s3() {
        return context.getRegistry().lookupByNameAndType("s3Client", S3Client.class);
    }

    /** Downloads an object from the embedded S3 server into the test's folder. */
    protected Path download(String bucket, String key) throws IOException {
        Path target = Files.createTempFile(dataDir, "s3-", "-" + Path.of(key).getFileName());
        Files.delete(target);
        s3().getObject(b -> b.bucket(bucket).key(key), ResponseTransformer.toFile(target));
        return target;
    }

    /** Reads a Parquet object back from S3 as Avro records. */
    protected List<GenericRecord> readParquet(String s3Uri) throws IOException {
        Path file = downloadUri(s3Uri);
        List<GenericRecord> records = new ArrayList<>();
        try (ParquetReader<GenericRecord> reader = AvroParquetReader.<GenericRecord>builder(new LocalInputFile(file))
                .build()) {
            for (GenericRecord record = reader.read(); record != null; record = reader.read()) {
                records.add(record);
            }
        }
        return records;
    }

    protected MessageType parquetSchema(String s3Uri) throws IOException {
        try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(downloadUri(s3Uri)))) {
            return reader.getFileMetaData().getSchema();
        }
    }

    protected Path downloadUri(String s3Uri) throws IOException {
        String rest = s3Uri.substring("s3://".length());
        int slash = rest.indexOf('/');
        return download(rest.substring(0, slash), rest.substring(slash + 1));
    }

    protected static List<List<String>> sampleRows() throws IOException {
        List<List<String>> rows = new ArrayList<>();
        for (String line : Files.readAllLines(samplePath()).subList(1, 21)) {
            rows.add(List.of(line.split(",", -1)));
        }
        return rows;
    }

    protected static Path samplePath() {
        return Path.of("samples/products.csv").toAbsolutePath();
    }

    protected static List<List<String>> asRows(List<GenericRecord> records) {
        List<List<String>> rows = new ArrayList<>();
        for (GenericRecord r : records) {
            rows.add(List.of(String.valueOf(r.get("product_id")), String.valueOf(r.get("product_name")),
                    String.valueOf(r.get("product_category")), String.valueOf(r.get("brand"))));
        }
        return rows;
    }
}
