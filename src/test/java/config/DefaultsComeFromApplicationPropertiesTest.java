package config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Defaults are written once, in application.properties: a key the lookup lacks takes its entry there, every
 * {@code pipeline.*} key the configuration reads has one, and an empty value means what it meant before.
 */
class DefaultsComeFromApplicationPropertiesTest {

    private static final String ARN = "arn:aws:s3tables:ap-southeast-1:123456789012:bucket/ecommerce-lakehouse";

    @TempDir
    Path dir;

    @Test
    void aKeyTheLookupLacksTakesItsDefaultFromApplicationProperties() throws Exception {
        Properties file = applicationProperties();
        Settings s = new Settings(key -> Optional.empty());

        ConvertConfig convert = ConvertConfig.from(s);

        assertEquals("128MB", file.getProperty("pipeline.convert.rowGroupSize"));
        assertEquals(128L * 1024 * 1024, convert.rowGroupSize());
        assertEquals(file.getProperty("pipeline.convert.compression"), convert.compression());
        assertEquals(Optional.of(file.getProperty("pipeline.convert.schema")), convert.schema());
        assertEquals(file.getProperty("pipeline.s3.region"), S3Config.from(s).region());
        assertEquals(List.of(), s.problems());
    }

    @Test
    void theLookupWinsOverTheDefault() {
        Settings s = new Settings(key -> Optional.ofNullable(Map.of(
                "pipeline.convert.rowGroupSize", "2MB", "pipeline.s3.region", "eu-west-1").get(key)));

        assertEquals(2L * 1024 * 1024, ConvertConfig.from(s).rowGroupSize());
        assertEquals("eu-west-1", S3Config.from(s).region());
        assertEquals(List.of(), s.problems());
    }

    @Test
    void theDefaultQueryFollowsTheTable() {
        Settings s = new Settings(key -> Optional.ofNullable(Map.of("pipeline.table.name", "orders").get(key)));
        Path dataDir = PipelineConfig.dataDir(s);

        assertEquals("SELECT * FROM \"data\".\"orders\"",
                QueryConfig.from(s, TableConfig.from(s, dataDir)).sql());
    }

    @Test
    void everyPipelineKeyReadHasAnEntryInApplicationProperties() throws Exception {
        Path once = Files.writeString(dir.resolve("in.csv"), "id\n1\n");
        Map<String, String> embedded = Map.of("pipeline.data.dir", dir.toString(), "pipeline.once", once.toString());
        Map<String, String> emrAndAthena = Map.of(
                "pipeline.data.dir", dir.toString(),
                "pipeline.source.url", "http://127.0.0.1:8080/products.csv",
                "pipeline.engine", "emr",
                "pipeline.query.engine", "athena",
                "pipeline.table.catalog", "s3tables",
                "pipeline.s3tables.tableBucketArn", ARN,
                "pipeline.emr.logUri", "s3://bucket/logs",
                "pipeline.emr.scriptUri", "s3://bucket/load_to_iceberg.py",
                "pipeline.athena.outputLocation", "s3://bucket/athena/",
                "pipeline.s3source.url", "s3://landing/trips/");
        Map<String, String> sparkSubmit = Map.of(
                "pipeline.data.dir", dir.toString(),
                "pipeline.engine", "spark-submit",
                "pipeline.table.catalog", "jdbc",
                "pipeline.table.jdbcUri", "jdbc:sqlite:" + dir.resolve("catalog.db"),
                "pipeline.spark.catalogConf", "type=jdbc");

        Map<String, String> emrServerless = Map.of(
                "pipeline.data.dir", dir.toString(),
                "pipeline.engine", "emr-serverless",
                "pipeline.s3tables.tableBucketArn", "arn:aws:s3tables:ap-southeast-1:123456789012:bucket/lake",
                "pipeline.emrServerless.executionRoleArn", "arn:aws:iam::123456789012:role/job",
                "pipeline.emrServerless.logUri", "s3://bucket/logs",
                "pipeline.emr.scriptUri", "s3://bucket/load_to_iceberg.py");

        Set<String> read = new TreeSet<>();
        for (Map<String, String> values : List.of(embedded, emrAndAthena, sparkSubmit, emrServerless)) {
            Settings s = new Settings(recording(values, read));
            Datasets datasets = Datasets.load(s);
            PipelineConfig config = datasets.all().get(0);
            UiConfig.from(s);
            S3SourceConfig.load(s, datasets);
            assertEquals(List.of(), s.problems().stream().filter(p -> p.contains("no default")).toList());
            assertEquals(values.get("pipeline.engine") == null ? PipelineConfig.LoadEngineKind.EMBEDDED
                    : PipelineConfig.LoadEngineKind.valueOf(values.get("pipeline.engine").replace('-', '_')
                    .toUpperCase()), config.engine());
        }

        Set<String> written = applicationProperties().stringPropertyNames().stream()
                .filter(k -> k.startsWith("pipeline.")).collect(Collectors.toCollection(TreeSet::new));
        // the web UI's settings read camel.management.* too, which are Camel's own
        Set<String> readNotWritten = read.stream().filter(k -> k.startsWith("pipeline."))
                .collect(Collectors.toCollection(TreeSet::new));
        readNotWritten.removeAll(written);
        assertEquals(Set.of(), readNotWritten, "read by the configuration but without an entry in application.properties");
        // and the other way: no entry that nothing reads
        Set<String> writtenNotRead = new TreeSet<>(written);
        writtenNotRead.removeAll(read);
        assertEquals(Set.of(), writtenNotRead, "in application.properties but read by no configuration class");
    }

    @Test
    void aKeyWithNeitherValueNorDefaultIsAProblemNamingIt() {
        Settings s = new Settings(key -> Optional.empty());

        assertEquals("", s.string("pipeline.x"));
        assertEquals(Optional.empty(), s.optional("pipeline.x"));

        assertEquals(List.of("pipeline.x is not set and has no default in application.properties"), s.problems());
    }

    @Test
    void anEmptySchemaOrADatasetWithoutOneHasItInferredButProductsKeepsItsOwn() {
        Settings empty = new Settings(key -> Optional.ofNullable(Map.of("pipeline.convert.schema", " ").get(key)));
        Settings trips = new Settings(key -> Optional.ofNullable(Map.of("pipeline.dataset", "trips").get(key)));
        Settings products = new Settings(key -> Optional.empty());

        assertEquals(Optional.empty(), ConvertConfig.from(empty).schema());
        assertEquals(Optional.empty(), ConvertConfig.from(trips).schema());
        assertEquals(Optional.of("classpath:schemas/products.avsc"), ConvertConfig.from(products).schema());
    }

    @Test
    void anEmptyValueMeansTheDefaultAsBefore() {
        Map<String, String> blank = new HashMap<>();
        applicationProperties().stringPropertyNames().forEach(key -> blank.put(key, ""));
        // the one exception, below: an empty schema asks for one inferred from the CSV
        blank.remove("pipeline.convert.schema");
        Settings empty = new Settings(key -> Optional.ofNullable(blank.get(key)));
        Settings absent = new Settings(key -> Optional.empty());

        assertEquals(PipelineConfig.load(absent), PipelineConfig.load(empty));
        assertEquals(absent.problems(), empty.problems());

        PipelineConfig config = PipelineConfig.load(empty);
        Path data = Path.of("data").toAbsolutePath();
        assertEquals(data, config.dataDir());
        assertEquals(Optional.empty(), config.once());
        assertEquals(Optional.empty(), config.source().url());
        assertEquals(Duration.ofMinutes(5), config.source().pollInterval());
        // empty means derived: the folders of the data dir
        assertEquals(data.resolve("inbox"), config.inbox().dir());
        assertEquals(data.resolve("warehouse"), config.table().warehouse());
        assertEquals(Optional.empty(), config.query().resultsDir(), "no results file unless asked for");
        assertEquals(',', config.convert().delimiter());
        assertEquals('"', config.convert().quote());
        assertEquals("", config.convert().nullString());
        assertEquals("SELECT * FROM \"data\".\"products\"", config.query().sql());
    }

    @Test
    void anEmptyValueOfARequiredSettingWithoutDefaultIsNamed() {
        Settings s = new Settings(key -> Optional.ofNullable(Map.of("pipeline.emr.scriptUri", " ").get(key)));

        assertEquals("", s.string("pipeline.emr.scriptUri"));
        assertEquals(List.of("pipeline.emr.scriptUri is required but not set"), s.problems());
    }

    @Test
    void aBadValueIsNamedAndTheDefaultStandsIn() {
        Settings s = new Settings(key -> Optional.ofNullable(Map.of("pipeline.emr.waitInterval", "soon").get(key)));

        assertEquals(Duration.ofSeconds(30), s.duration("pipeline.emr.waitInterval"));
        assertFalse(s.problems().isEmpty());
        assertTrue(s.problems().get(0).startsWith("pipeline.emr.waitInterval must be a duration"), s.problems().get(0));
    }

    private static Function<String, Optional<String>> recording(Map<String, String> values, Set<String> read) {
        return key -> {
            read.add(key);
            return Optional.ofNullable(values.get(key));
        };
    }

    private static Properties applicationProperties() {
        Properties properties = new Properties();
        try (InputStream in = DefaultsComeFromApplicationPropertiesTest.class.getClassLoader()
                .getResourceAsStream("application.properties")) {
            properties.load(in);
        } catch (Exception e) {
            throw new AssertionError("application.properties is not readable from the classpath", e);
        }
        return properties;
    }
}
