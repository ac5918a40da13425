package config;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md has one row for every setting the code reads and none for a setting it does not: the keys of
 * the properties files, every key the configuration asks {@link Settings} for (also the ones it builds by
 * concatenation, such as {@code pipeline.dataset.<name>.table.name}), and every {@code pipeline.*} name a string of
 * src/main/java spells out; each row's Per dataset cell says what {@link Datasets#notPerDataset} says.
 */
class ConfigurationDocListsEverySettingTest {

    private static final Path DOC = Path.of("docs", "configuration.md");
    private static final Path RESOURCES = Path.of("src", "main", "resources");
    private static final Path SOURCES = Path.of("src", "main", "java");
    private static final String ARN = "arn:aws:s3tables:ap-southeast-1:123456789012:bucket/ecommerce-lakehouse";
    private static final List<String> DATASETS = List.of("products", "orders");
    private static final Set<String> PER_DATASET_VALUES = Set.of("yes", "shared", "no");

    /** Names spelt like settings in the code that are something else. */
    private static final Map<String, String> NOT_SETTINGS = notSettings();

    private static final Pattern ROW = Pattern.compile("^\\| `([^`]+)` \\|(.*)\\|\\s*$");
    private static final Pattern STRING_LITERAL = Pattern.compile("\"((?:[^\"\\\\\\r\\n]|\\\\.)*)\"");
    private static final Pattern CHAR_LITERAL = Pattern.compile("'(?:[^'\\\\\\r\\n]|\\\\.)'");
    private static final Pattern PIPELINE_NAME = Pattern.compile("pipeline\\.[A-Za-z0-9_.\\-]*");

    /** A row of a "| Property | Default | ... |" table of the doc. */
    private record Row(String key, List<String> cells, int line) {

        String perDataset() {
            return cells.size() == 3 ? cells.get(1) : "";
        }
    }

    @Test
    void everySettingTheCodeReadsHasARowAndEveryRowIsASettingTheCodeReads() throws IOException {
        List<String> problems = new ArrayList<>();
        Map<String, Row> rows = rows(problems);
        Map<String, String> inFiles = propertiesFileKeys();
        Map<String, String> asked = new TreeMap<>();
        Map<String, String> askedPerDataset = new TreeMap<>();
        askedWhileLoading(asked, askedPerDataset);

        inFiles.forEach((key, file) -> {
            if (!rows.containsKey(key)) {
                problems.add(key + " is in " + file + " but has no row in " + DOC + ": add | `" + key
                             + "` | <default> |" + (key.startsWith("pipeline.") ? " <per dataset> |" : "")
                             + " <meaning> | to the table of its stage");
            }
        });
        asked.forEach((key, scenario) -> {
            if (!rows.containsKey(key)) {
                problems.add(key + " is read by the configuration (" + scenario + ") but has no row in " + DOC
                             + ": add | `" + key + "` | <default> | <per dataset> | <meaning> | to the table of its stage");
            }
        });
        askedPerDataset.forEach((key, scenario) -> {
            Row row = rows.get(key);
            if (row == null) {
                problems.add("pipeline.dataset.<name>." + key.substring("pipeline.".length()) + " is read for each"
                             + " dataset (" + scenario + ") but " + key + " has no row in " + DOC + ": add one, its"
                             + " Per dataset cell yes");
            } else if (!row.perDataset().equals("yes")) {
                problems.add("pipeline.dataset.<name>." + key.substring("pipeline.".length()) + " is read for each"
                             + " dataset (" + scenario + ") but the row of " + key + " (" + DOC + " line " + row.line()
                             + ") says Per dataset: " + row.perDataset() + "; write yes");
            }
        });
        for (String name : namesInStrings()) {
            if (name.endsWith(".")) {
                String key = name.substring(0, name.length() - 1);
                if (!rows.containsKey(key) && rows.keySet().stream().noneMatch(k -> k.startsWith(name))) {
                    problems.add("a string of " + SOURCES + " starts the key " + name + "..., but no row of " + DOC
                                 + " starts so: document the settings it builds, or correct the string");
                }
            } else if (!rows.containsKey(name) && !NOT_SETTINGS.containsKey(name)) {
                problems.add("a string of " + SOURCES + " names " + name + ", which has no row in " + DOC
                             + ": document the setting, correct the name, or, if it is no setting (a metric, a logger,"
                             + " a snapshot property), add it to NOT_SETTINGS of " + getClass().getSimpleName());
            }
        }
        for (Row row : rows.values()) {
            String key = row.key();
            boolean pipeline = key.startsWith("pipeline.");
            if (!inFiles.containsKey(key) && !(pipeline && asked.containsKey(key))) {
                problems.add(DOC + " line " + row.line() + " documents " + key + ", which the code does not read"
                             + (pipeline ? " (nor is it in application.properties)" : " (it is in no properties file)")
                             + ": remove the row, or correct the name");
            }
            if (pipeline && !PER_DATASET_VALUES.contains(row.perDataset())) {
                problems.add(DOC + " line " + row.line() + ": the row of " + key + " must have 4 cells, its Per"
                             + " dataset cell yes, shared or no; was " + row.cells());
            }
            // config/Datasets says which settings a dataset may set: the cell says what it says
            String expected = Datasets.sharedByEveryDataset(key) ? "shared"
                    : Datasets.notPerDataset(key).isEmpty() ? "yes" : "no";
            if (pipeline && PER_DATASET_VALUES.contains(row.perDataset()) && !row.perDataset().equals(expected)) {
                problems.add(DOC + " line " + row.line() + " says " + key + " is Per dataset: " + row.perDataset()
                             + ", but config/Datasets makes it " + expected + ": write " + expected);
            }
            if (pipeline && asked.containsKey(key) && expected.equals("yes") && !askedPerDataset.containsKey(key)) {
                problems.add(key + " may be set per dataset (config/Datasets), but no dataset reads"
                             + " pipeline.dataset.<name>." + key.substring("pipeline.".length())
                             + ": read it per dataset, or list it in Datasets' settings of the process");
            }
        }
        assertTrue(problems.isEmpty(), () -> DOC + " and the code disagree:\n" + String.join("\n", problems));
    }

    @Test
    void theKeysCollectedIncludeThoseBuiltByConcatenation() {
        Map<String, String> asked = new TreeMap<>();
        Map<String, String> askedPerDataset = new TreeMap<>();
        askedWhileLoading(asked, askedPerDataset);

        // built as PREFIX + "dataset." + name + ".inbox.dir" (Datasets) and ownPrefix + key (Datasets.DatasetSettings)
        assertTrue(askedPerDataset.containsKey("pipeline.inbox.dir"), askedPerDataset.keySet().toString());
        assertTrue(askedPerDataset.containsKey("pipeline.table.name"), askedPerDataset.keySet().toString());
        // every engine's settings were reached
        for (String key : List.of("pipeline.emr.releaseLabel", "pipeline.spark.timeout", "pipeline.athena.pageSize",
                "pipeline.s3tables.tableLocationPrefix", "pipeline.maxConcurrentRuns")) {
            assertTrue(asked.containsKey(key), key + " was not asked for: " + asked.keySet());
        }
        assertFalse(askedPerDataset.containsKey("pipeline.datasets"));
    }

    /**
     * Loads the configuration as the app does, one dataset and two, in the local and aws profiles and with every load
     * and query engine and catalog, through a lookup that records each key asked. A key asked as
     * {@code pipeline.dataset.<name>.x} is recorded as {@code pipeline.x} in {@code perDataset}.
     */
    private static void askedWhileLoading(Map<String, String> asked, Map<String, String> perDataset) {
        Map<String, Map<String, String>> scenarios = new LinkedHashMap<>();
        scenarios.put("local profile", profile("local"));
        Map<String, String> aws = profile("aws");
        aws.put("pipeline.s3tables.tableBucketArn", ARN);
        scenarios.put("aws profile: emr and athena", aws);
        scenarios.put("iceberg engine on s3tables with athena", Map.of(
                "pipeline.engine", "iceberg", "pipeline.table.catalog", "s3tables",
                "pipeline.query.engine", "athena", "pipeline.s3tables.tableBucketArn", ARN,
                "pipeline.athena.outputLocation", "s3://bucket/athena/"));
        scenarios.put("spark-submit on a jdbc catalog", Map.of(
                "pipeline.engine", "spark-submit", "pipeline.table.catalog", "jdbc",
                "pipeline.table.jdbcUri", "jdbc:sqlite:catalog.db", "pipeline.spark.catalogConf", "type=jdbc"));
        scenarios.put("spark-submit on s3tables", Map.of(
                "pipeline.engine", "spark-submit", "pipeline.table.catalog", "s3tables",
                "pipeline.query.engine", "athena", "pipeline.s3tables.tableBucketArn", ARN));
        Pattern ownKey = Pattern.compile("pipeline\\.dataset\\.(" + String.join("|", DATASETS) + ")\\.(.+)");
        scenarios.forEach((name, values) -> {
            for (boolean several : List.of(false, true)) {
                Map<String, String> given = new HashMap<>(values);
                if (several) {
                    given.put("pipeline.datasets", String.join(",", DATASETS));
                }
                String scenario = name + (several ? ", datasets " + String.join(",", DATASETS) : "");
                Settings settings = new Settings(key -> {
                    Matcher own = ownKey.matcher(key);
                    if (own.matches()) {
                        perDataset.putIfAbsent("pipeline." + own.group(2), scenario);
                    } else {
                        asked.putIfAbsent(key, scenario);
                    }
                    return Optional.ofNullable(given.get(key));
                });
                Datasets.load(settings);
            }
        });
    }

    private static Map<String, String> profile(String name) {
        Map<String, String> values = new HashMap<>();
        load(RESOURCES.resolve("application-" + name + ".properties")).forEach((k, v) -> values.put((String) k,
                (String) v));
        return values;
    }

    /** Every key of application.properties and the profiles' files, with the file it is in. */
    private static Map<String, String> propertiesFileKeys() throws IOException {
        Map<String, String> keys = new TreeMap<>();
        try (Stream<Path> files = Files.list(RESOURCES)) {
            for (Path file : files.filter(f -> f.getFileName().toString().matches("application(-.+)?\\.properties"))
                    .sorted().toList()) {
                load(file).stringPropertyNames().forEach(key -> keys.putIfAbsent(key, file.toString()));
            }
        }
        assertTrue(keys.containsKey("pipeline.data.dir"), "no properties read from " + RESOURCES);
        return keys;
    }

    private static Properties load(Path file) {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(in);
        } catch (IOException e) {
            throw new AssertionError("cannot read " + file.toAbsolutePath(), e);
        }
        return properties;
    }

    /** The rows of the doc's "| Property | Default | ... |" tables, by key; a key with two rows is a problem. */
    private static Map<String, Row> rows(List<String> problems) throws IOException {
        List<String> lines = Files.readAllLines(DOC, StandardCharsets.UTF_8);
        Map<String, Row> rows = new TreeMap<>();
        boolean propertyTable = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (!line.startsWith("|")) {
                propertyTable = false;
                continue;
            }
            if (i == 0 || !lines.get(i - 1).startsWith("|")) {
                propertyTable = line.startsWith("| Property | Default |");
                continue;
            }
            Matcher row = ROW.matcher(line);
            if (!propertyTable || !row.matches()) {
                continue;
            }
            List<String> cells = Stream.of(row.group(2).split(" \\| ", -1)).map(String::trim).toList();
            Row previous = rows.put(row.group(1), new Row(row.group(1), cells, i + 1));
            if (previous != null) {
                problems.add(DOC + " documents " + row.group(1) + " twice, lines " + previous.line() + " and "
                             + (i + 1) + ": keep one row");
            }
        }
        assertTrue(rows.size() > 100, "found only " + rows.size() + " rows of settings in " + DOC.toAbsolutePath());
        return rows;
    }

    /** Every {@code pipeline.*} name inside a string literal of the main code; a name ending in '.' is a prefix. */
    private static Set<String> namesInStrings() throws IOException {
        Set<String> names = new TreeSet<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String code = CHAR_LITERAL.matcher(Files.readString(file)).replaceAll("' '");
                Matcher literal = STRING_LITERAL.matcher(code);
                while (literal.find()) {
                    Matcher name = PIPELINE_NAME.matcher(literal.group(1));
                    while (name.find()) {
                        names.add(name.group());
                    }
                }
            }
        }
        assertTrue(names.contains("pipeline.data.dir"), "no setting names found in " + SOURCES.toAbsolutePath());
        return names;
    }

    private static Map<String, String> notSettings() {
        Map<String, String> names = new HashMap<>();
        for (String property : List.of("pipeline.input-sha256", "pipeline.run-id", "pipeline.trigger",
                "pipeline.source", "pipeline.input-bytes", "pipeline.mode")) {
            names.put(property, "a snapshot summary property (lake/CommitIdentity)");
        }
        for (String metric : List.of("pipeline.runs", "pipeline.rows.written", "pipeline.rows.rejected",
                "pipeline.stage.duration", "pipeline.last.success")) {
            names.put(metric, "a metric (observe/RunMetrics)");
        }
        for (String logger : List.of("pipeline.query", "pipeline.errors", "pipeline.run")) {
            names.put(logger, "a logger's name");
        }
        names.put("pipeline.ledger.recorded-through", "a table property of the load ledger (lake/LoadLedger)");
        names.put("pipeline.test.killAfterDataCommit", "a test's crash point (lake/CrashPoint), no user setting");
        return Map.copyOf(names);
    }
}
