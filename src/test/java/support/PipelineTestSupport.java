package support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.function.Predicate;
import java.util.stream.Stream;

import app.Application;
import app.OneShotCompletion;
import app.PipelineBeans;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.avro.generic.GenericRecord;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.test.main.junit5.CamelMainTestSupport;
import org.apache.parquet.schema.MessageType;
import org.awaitility.core.ConditionTimeoutException;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;

import static org.awaitility.Awaitility.await;

/**
 * The whole application (every route, the embedded S3 server, the local profile) on a fresh data folder per test,
 * with helpers to wait for run reports and to read back what landed in S3.
 */
public abstract class PipelineTestSupport extends CamelMainTestSupport {

    protected static final ObjectMapper JSON = new ObjectMapper();

    /** How often a test looks again for what it awaits. */
    private static final Duration POLL = Duration.ofMillis(100);

    /**
     * The most a test waits for what runs or polls do (a report, a request, an exit code): a condition ends each wait,
     * and this limit holds on a loaded 2-core machine, where a 20-row run alone has taken 8 s.
     */
    protected static final Duration RUN_LIMIT = Duration.ofSeconds(120);

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
        // the management server is tested where it is the subject (ServiceEndpointsTest); elsewhere it is left off
        properties.setProperty("camel.management.enabled", "false");
        properties.setProperty("camel.metrics.enabled", "false");
        properties.putAll(testProperties());
        return properties;
    }

    protected Path inbox() {
        return dataDir.resolve("inbox");
    }

    /** Waits until {@code count} run reports exist and returns them, in the order the runs started. */
    protected List<JsonNode> awaitReports(int count, Duration timeout) throws Exception {
        return await(count + " run report(s)").atMost(timeout).pollInterval(POLL)
                .until(this::reports, reports -> reports.size() >= count);
    }

    /** Waits for the first run report that {@code which} accepts. */
    protected JsonNode awaitReport(Predicate<JsonNode> which, Duration timeout) throws Exception {
        return awaitReport("a matching run report", which, timeout);
    }

    private JsonNode awaitReport(String what, Predicate<JsonNode> which, Duration timeout) {
        return await(what).atMost(timeout).pollInterval(POLL)
                .until(this::reports, reports -> reports.stream().anyMatch(which))
                .stream().filter(which).findFirst().orElseThrow();
    }

    /** Waits for the report of the run of the file dropped as {@code name}. */
    protected JsonNode awaitReportOfDrop(String name) throws Exception {
        return awaitReportOfDrop(name, RUN_LIMIT);
    }

    protected JsonNode awaitReportOfDrop(String name, Duration timeout) throws Exception {
        try {
            return awaitReport("the run report of the file dropped as " + name,
                    report -> "file".equals(report.path("trigger").asText())
                              && name.equals(report.path("source").asText()), timeout);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(e.getMessage() + "; the inbox still holds " + filesLeftInInbox(), e);
        }
    }

    /** Short inbox polling so that file-drop tests stay quick. */
    protected static Properties fastInbox() {
        Properties p = new Properties();
        p.setProperty("pipeline.inbox.pollInterval", "200ms");
        p.setProperty("pipeline.inbox.readLockMinAge", "100ms");
        return p;
    }

    /** Writes {@code content} outside the inbox, then moves it in whole, as a careful producer would. */
    protected Path drop(String name, byte[] content) throws IOException {
        return drop(inbox(), name, content);
    }

    /** The same into {@code inbox}, such as one dataset's {@code inbox/<dataset>/}. */
    protected Path drop(Path inbox, String name, byte[] content) throws IOException {
        Path staging = Files.createDirectories(dataDir.resolve("staging"));
        Path written = Files.write(staging.resolve(name), content);
        Files.createDirectories(inbox);
        return Files.move(written, inbox.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * The regular files directly in the inbox, not in its .done/ and .failed/ folders; Camel's read-lock markers
     * ({@code .camelLock}) only while their file is still there, since Camel drops them once the exchange is done.
     */
    protected List<String> filesLeftInInbox() throws IOException {
        try (Stream<Path> files = Files.list(inbox())) {
            List<String> names = files.filter(Files::isRegularFile).map(f -> f.getFileName().toString()).sorted()
                    .toList();
            return names.stream()
                    .filter(name -> !name.endsWith(".camelLock")
                                    || names.contains(name.substring(0, name.length() - ".camelLock".length())))
                    .toList();
        }
    }

    protected JsonNode awaitReport() throws Exception {
        return awaitReports(1, RUN_LIMIT).get(0);
    }

    /** The exit code is set when the one-shot route completes, just after the report is written. */
    protected void awaitExitCode(int expected) throws InterruptedException {
        OneShotCompletion oneShot = context.getRegistry()
                .lookupByNameAndType(PipelineBeans.ONE_SHOT, OneShotCompletion.class);
        await("exit code " + expected + " of the one-shot run").atMost(RUN_LIMIT).pollInterval(POLL)
                .until(oneShot::exitCode, code -> code == expected);
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
        return ParquetFiles.records(downloadUri(s3Uri));
    }

    protected MessageType parquetSchema(String s3Uri) throws IOException {
        return ParquetFiles.schema(downloadUri(s3Uri));
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

    /** The data rows of a simple CSV (no quoted values), header skipped, as {@link #asRows} gives them back. */
    protected static List<List<String>> rowsOf(String csv) {
        List<List<String>> rows = new ArrayList<>();
        List<String> lines = csv.lines().filter(line -> !line.isBlank()).toList();
        for (String line : lines.subList(1, lines.size())) {
            rows.add(List.of(line.split(",", -1)));
        }
        return rows;
    }

    protected static String sampleCsv() throws IOException {
        return Files.readString(samplePath());
    }

    /** The sample's 20 products with {@code offset} added to each product_id: another input of the same shape. */
    protected static String sampleCsvWithIdsFrom(int offset) throws IOException {
        StringBuilder csv = new StringBuilder();
        List<String> lines = Files.readAllLines(samplePath());
        csv.append(lines.get(0)).append('\n');
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            int comma = line.indexOf(',');
            csv.append(Integer.parseInt(line.substring(0, comma)) + offset).append(line.substring(comma)).append('\n');
        }
        return csv.toString();
    }

    protected static String sha256(byte[] content) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(content));
    }

    /**
     * Two datasets run once, in this order: {@code products} on the walkthrough's file, then {@code orders}
     * ({@code samples/orders.csv} into {@code data.orders}) whose query sums the units sold per product, joining
     * {@code productsTable} (the products table as the query engine names it): {@link #UNITS_PER_PRODUCT}.
     */
    protected static void productsThenOrdersOnce(Properties p, String productsTable) {
        p.setProperty("pipeline.datasets", "products,orders");
        p.setProperty("pipeline.dataset.products.once", samplePath().toString());
        p.setProperty("pipeline.dataset.orders.once", Path.of("samples/orders.csv").toAbsolutePath().toString());
        p.setProperty("pipeline.dataset.orders.convert.schema", "classpath:schemas/orders.avsc");
        p.setProperty("pipeline.dataset.orders.table.name", "orders");
        p.setProperty("pipeline.dataset.orders.query.sql", "SELECT p.product_name, SUM(o.quantity) AS units"
                + " FROM \"data\".\"orders\" o JOIN " + productsTable + " p ON o.product_id = p.product_id"
                + " GROUP BY p.product_name ORDER BY units DESC, p.product_name");
    }

    /** The orders query's answer of {@link #productsThenOrdersOnce}, computed by hand from the two samples. */
    protected static final List<List<String>> UNITS_PER_PRODUCT = List.of(
            List.of("Organic Green Tea 100 Bags", "3"),
            List.of("Running Shoes Pegasus 41", "3"),
            List.of("Ceramic Dinner Plate Set", "2"),
            List.of("Wireless Noise-Cancelling Headphones", "2"),
            List.of("Smartphone Galaxy S24", "1"),
            List.of("Stainless Steel French Press", "1"));

    /** The data rows of the run's results file (no quoted values), header skipped. */
    protected static List<List<String>> resultRows(JsonNode report) throws IOException {
        return rowsOf(Files.readString(Path.of(report.path("query").path("resultsFile").asText())));
    }

    /** {@code rows} ordered by their first column, a number. */
    protected static List<List<String>> sortedById(List<List<String>> rows) {
        List<List<String>> copy = new ArrayList<>(rows);
        copy.sort(Comparator.comparing(row -> Integer.parseInt(row.get(0))));
        return copy;
    }

    protected static Path samplePath() {
        return Path.of("samples/products.csv").toAbsolutePath();
    }

    protected static List<List<String>> asRows(List<GenericRecord> records) {
        return ParquetFiles.productRows(records);
    }
}
