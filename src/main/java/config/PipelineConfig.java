package config;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import core.DataDirLayout;
import core.Secrets;

/**
 * Every {@code pipeline.*} setting, read once at start-up. Problems are collected in the {@link Settings}; the caller
 * validates once everything (the schema file too) has been read, so one message names every bad property and value.
 */
public record PipelineConfig(
        Path dataDir,
        Path stateDir,
        Optional<String> once,
        String dataset,
        SourceConfig source,
        InboxConfig inbox,
        ConvertConfig convert,
        S3Config s3,
        ErrorsConfig errors,
        LoadEngineKind engine,
        TableConfig table,
        Optional<EmrConfig> emr,
        Optional<EmrServerlessConfig> emrServerless,
        Optional<SparkConfig> spark,
        QueryEngineKind queryEngine,
        QueryConfig query,
        Optional<AthenaConfig> athena) {

    /** {@code pipeline.engine}: what loads the Parquet into the Iceberg table ({@code iceberg} is embedded's other name). */
    public enum LoadEngineKind { EMBEDDED, EMR, EMR_SERVERLESS, SPARK_SUBMIT }

    /** {@code pipeline.query.engine}: what answers the SQL over the table. */
    public enum QueryEngineKind { DUCKDB, ATHENA }

    /** The one dataset of the {@code pipeline.*} properties, its folders where they have always been. */
    public static PipelineConfig load(Settings s) {
        Path dataDir = dataDir(s);
        String dataset = datasetName(s);
        // it names the routes, the state folder and the S3 key: x'y or ../x must not reach them (a name derived from
        // the table's is checked as the table's)
        if (!dataset.isEmpty() && s.optional("pipeline.dataset").isPresent()) {
            Names.problem("pipeline.dataset", dataset).ifPresent(s::problem);
        }
        // empty means derived: the inbox folder of the data dir
        return load(s, dataset,
                s.optional("pipeline.inbox.dir").map(Path::of).orElseGet(() -> DataDirLayout.inbox(dataDir)),
                DataDirLayout.state(dataDir));
    }

    /**
     * The one dataset's name: {@code pipeline.dataset}, or else the table's ({@code pipeline.table.name}), so that a
     * user who names only the table gets runs, reports and an S3 key named after it.
     */
    static String datasetName(Settings s) {
        return s.optional("pipeline.dataset").orElseGet(() -> s.string("pipeline.table.name"));
    }

    /** {@code pipeline.data.dir}, absolute: the one place it is read. */
    public static Path dataDir(Settings s) {
        return s.path("pipeline.data.dir").toAbsolutePath().normalize();
    }

    /** A dataset, with the inbox it watches unless {@code pipeline.inbox.dir} says otherwise, and its state folder. */
    static PipelineConfig load(Settings s, String dataset, Path inbox, Path stateDir) {
        Path dataDir = dataDir(s);
        Optional<String> once = s.optional("pipeline.once");
        once.ifPresent(value -> checkOnce(s, value));
        // iceberg names the embedded engine by the library that writes the table
        LoadEngineKind engine = "iceberg".equalsIgnoreCase(s.string("pipeline.engine"))
                ? LoadEngineKind.EMBEDDED
                : s.choice("pipeline.engine", LoadEngineKind.class);
        QueryEngineKind queryEngine = s.choice("pipeline.query.engine", QueryEngineKind.class);
        InboxConfig inboxConfig = InboxConfig.from(s, inbox);
        if (once.isEmpty() && inboxConfig.enabled()) {
            checkInboxUri(s, inbox);
        }
        TableConfig table = TableConfig.from(s, dataDir);
        if (table.catalog() == TableConfig.Catalog.S3TABLES && queryEngine == QueryEngineKind.DUCKDB) {
            s.problem("pipeline.query.engine=duckdb reads data files from the local disk only; with"
                      + " pipeline.table.catalog=s3tables set pipeline.query.engine=athena");
        }
        if (table.catalog() == TableConfig.Catalog.S3TABLES && engine == LoadEngineKind.SPARK_SUBMIT
            && s.optional("pipeline.spark.catalogConf").isEmpty()) {
            s.problem("pipeline.spark.catalogConf must describe the table bucket's catalog when pipeline.engine is"
                      + " spark-submit and pipeline.table.catalog is s3tables (the default is a local hadoop catalog)");
        }
        ConvertConfig convert = ConvertConfig.from(s);
        if (convert.on() != ConvertConfig.On.APP && engine == LoadEngineKind.EMBEDDED) {
            s.problem("pipeline.convert.on=" + convert.on().name().toLowerCase(Locale.ROOT) + " needs a Spark engine"
                      + " that converts the CSV (pipeline.engine=spark-submit, emr or emr-serverless), was"
                      + " pipeline.engine=" + kebab(engine) + "; set pipeline.convert.on=app");
        }
        PipelineConfig config = new PipelineConfig(
                dataDir,
                stateDir,
                once,
                dataset,
                SourceConfig.from(s),
                inboxConfig,
                convert,
                S3Config.from(s),
                ErrorsConfig.from(s),
                engine,
                table,
                engine == LoadEngineKind.EMR ? Optional.of(EmrConfig.from(s)) : Optional.empty(),
                engine == LoadEngineKind.EMR_SERVERLESS ? Optional.of(EmrServerlessConfig.from(s)) : Optional.empty(),
                engine == LoadEngineKind.SPARK_SUBMIT ? Optional.of(SparkConfig.from(s, table)) : Optional.empty(),
                queryEngine,
                QueryConfig.from(s, table),
                queryEngine == QueryEngineKind.ATHENA ? Optional.of(AthenaConfig.from(s)) : Optional.empty());
        return config;
    }

    /**
     * The dataset in one line, as the start-up logs it: its trigger(s) and the folder watched, the table and its
     * catalog, the engines. {@code oneShot}: the process runs the once inputs only.
     */
    public String describe(boolean oneShot) {
        List<String> triggers = new ArrayList<>();
        once.ifPresent(input -> triggers.add("once (" + (isHttp(input) ? Secrets.url(input) : input) + ")"));
        if (!oneShot && httpPollingEnabled()) {
            triggers.add("http-poll (" + Secrets.url(source.url().orElseThrow().toString()) + " every "
                         + source.pollInterval().toString().substring(2).toLowerCase(Locale.ROOT) + ")");
        }
        if (!oneShot && inboxEnabled()) {
            triggers.add("inbox (watches " + inbox.dir().toAbsolutePath().normalize() + " for " + inbox.include()
                         + (inbox.doneMarker() ? " with a .done marker" : "") + ")");
        }
        String trigger = triggers.isEmpty()
                ? (oneShot ? "no trigger in this one-shot process" : "no inbox or HTTP trigger (the inbox is"
                        + " off and pipeline.source.url is empty; an S3 source has its line)")
                : "trigger " + String.join(" and ", triggers);
        return dataset + ": " + trigger + "; table " + table.qualifiedName() + " in " + table.catalogDescription()
               + "; load engine " + kebab(engine) + ", query engine " + kebab(queryEngine);
    }

    private static String kebab(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The HTTP poller runs when a source URL is configured and this is not a one-shot run. */
    public boolean httpPollingEnabled() {
        return once.isEmpty() && source.url().isPresent();
    }

    public boolean inboxEnabled() {
        return once.isEmpty() && inbox.enabled();
    }

    public static boolean isHttp(String location) {
        return location.startsWith("http://") || location.startsWith("https://");
    }

    /**
     * The inbox folder becomes the URI of Camel's file endpoint, which reads {@code ?} and {@code #} as the end of the
     * path, {@code %} as an escape and {@code {{ }}} as a placeholder: a folder holding one would be another folder.
     */
    private static void checkInboxUri(Settings s, Path inbox) {
        String folder = inbox.toString();
        if (folder.chars().anyMatch(c -> "?#%{}".indexOf(c) >= 0)) {
            String property = s.optional("pipeline.inbox.dir").isPresent() ? "pipeline.inbox.dir" : "pipeline.data.dir";
            s.problem(property + " must not hold ?, #, %, { or }: the inbox folder " + folder + " is the URI of Camel's"
                      + " file endpoint, where they mean something else");
        }
    }

    private static void checkOnce(Settings s, String value) {
        if (isHttp(value)) {
            SourceConfig.httpUrl(s, "pipeline.once", value).map(URI::toString);
        } else if (!Files.isRegularFile(Path.of(value))) {
            s.problem("pipeline.once must be a readable file or an http(s) URL, was " + value
                      + " (no such file)");
        }
    }
}
