package config;

import java.nio.file.Path;
import java.util.Optional;

import core.DataDirLayout;
import core.Secrets;

/** {@code pipeline.table.*}: which Iceberg catalog and table the load stage writes and the query stage reads. */
public record TableConfig(
        Catalog catalog,
        Path warehouse,
        String jdbcUri,
        String namespace,
        String name,
        Mode mode,
        SchemaEvolution schemaEvolution,
        Optional<S3TablesConfig> s3tables,
        boolean reloadSameInput,
        boolean widenTypes,
        MaintenanceConfig maintenance,
        MergeConfig merge) {

    /** hadoop: a warehouse folder; jdbc: a JDBC database; s3tables: an Amazon S3 Tables bucket over Iceberg REST. */
    public enum Catalog { HADOOP, JDBC, S3TABLES }

    /** overwrite: the input replaces every row; append: its rows are added; merge: upserted on a key. */
    public enum Mode { OVERWRITE, APPEND, MERGE }

    public enum SchemaEvolution { NONE, ADD_COLUMNS }

    /** What the name of a table's load ledger adds to the table's name. */
    public static final String LEDGER_SUFFIX = "_loads";

    /** A table in a local catalog (hadoop or jdbc) that never reloads an input it already holds. */
    public TableConfig(Catalog catalog, Path warehouse, String jdbcUri, String namespace, String name, Mode mode,
                       SchemaEvolution schemaEvolution) {
        this(catalog, warehouse, jdbcUri, namespace, name, mode, schemaEvolution, Optional.empty());
    }

    /** A table that never reloads an input it already holds ({@code pipeline.table.reloadSameInput=false}). */
    public TableConfig(Catalog catalog, Path warehouse, String jdbcUri, String namespace, String name, Mode mode,
                       SchemaEvolution schemaEvolution, Optional<S3TablesConfig> s3tables) {
        this(catalog, warehouse, jdbcUri, namespace, name, mode, schemaEvolution, s3tables, false);
    }

    /** A table whose columns keep their types ({@code pipeline.table.widenTypes=false}). */
    public TableConfig(Catalog catalog, Path warehouse, String jdbcUri, String namespace, String name, Mode mode,
                       SchemaEvolution schemaEvolution, Optional<S3TablesConfig> s3tables, boolean reloadSameInput) {
        this(catalog, warehouse, jdbcUri, namespace, name, mode, schemaEvolution, s3tables, reloadSameInput, false);
    }

    /** A table maintained as {@code application.properties} says by default, overwritten or appended to. */
    public TableConfig(Catalog catalog, Path warehouse, String jdbcUri, String namespace, String name, Mode mode,
                       SchemaEvolution schemaEvolution, Optional<S3TablesConfig> s3tables, boolean reloadSameInput,
                       boolean widenTypes) {
        this(catalog, warehouse, jdbcUri, namespace, name, mode, schemaEvolution, s3tables, reloadSameInput,
                widenTypes, MergeConfig.NONE);
    }

    /** A table maintained as {@code maintenance} says, overwritten or appended to. */
    public TableConfig(Catalog catalog, Path warehouse, String jdbcUri, String namespace, String name, Mode mode,
                       SchemaEvolution schemaEvolution, Optional<S3TablesConfig> s3tables, boolean reloadSameInput,
                       boolean widenTypes, MaintenanceConfig maintenance) {
        this(catalog, warehouse, jdbcUri, namespace, name, mode, schemaEvolution, s3tables, reloadSameInput,
                widenTypes, maintenance, MergeConfig.NONE);
    }

    /** A table maintained as {@code application.properties} says by default, merged into as {@code merge} says. */
    public TableConfig(Catalog catalog, Path warehouse, String jdbcUri, String namespace, String name, Mode mode,
                       SchemaEvolution schemaEvolution, Optional<S3TablesConfig> s3tables, boolean reloadSameInput,
                       boolean widenTypes, MergeConfig merge) {
        this(catalog, warehouse, jdbcUri, namespace, name, mode, schemaEvolution, s3tables, reloadSameInput,
                widenTypes, MaintenanceConfig.from(new Settings(key -> Optional.empty()), false), merge);
    }

    public static TableConfig from(Settings s, Path dataDir) {
        Catalog catalog = s.choice("pipeline.table.catalog", Catalog.class);
        String jdbcUri = s.optional("pipeline.table.jdbcUri").orElse(null);
        if (catalog == Catalog.JDBC) {
            if (jdbcUri == null) {
                s.problem("pipeline.table.jdbcUri is required when pipeline.table.catalog is jdbc, "
                          + "for example jdbc:sqlite:data/catalog.db");
            } else if (!jdbcUri.startsWith("jdbc:")) {
                s.problem("pipeline.table.jdbcUri must start with jdbc:, was " + jdbcUri);
            }
        }
        Mode mode = s.choice("pipeline.table.mode", Mode.class);
        return new TableConfig(
                catalog,
                // empty means derived: the warehouse folder of the data dir
                s.optional("pipeline.table.warehouse").map(Path::of).orElseGet(() -> DataDirLayout.warehouse(dataDir)),
                jdbcUri,
                namespace(s),
                name(s),
                mode,
                s.choice("pipeline.table.schemaEvolution", SchemaEvolution.class),
                catalog == Catalog.S3TABLES ? Optional.of(S3TablesConfig.from(s)) : Optional.empty(),
                s.bool("pipeline.table.reloadSameInput"),
                s.bool("pipeline.table.widenTypes"),
                MaintenanceConfig.from(s, catalog == Catalog.S3TABLES),
                MergeConfig.from(s, mode));
    }

    /** The same table, maintained as {@code maintenance} says. */
    public TableConfig withMaintenance(MaintenanceConfig maintenance) {
        return new TableConfig(catalog, warehouse, jdbcUri, namespace, name, mode, schemaEvolution, s3tables,
                reloadSameInput, widenTypes, maintenance, merge);
    }

    /** Another table of the same catalog, written the same way. */
    public TableConfig named(String namespace, String name) {
        return new TableConfig(catalog, warehouse, jdbcUri, namespace, name, mode, schemaEvolution, s3tables,
                reloadSameInput, widenTypes);
    }

    /** The catalog, as a message names it: {@code the hadoop catalog at data/warehouse}. */
    public String catalogDescription() {
        return switch (catalog) {
            case HADOOP -> "the hadoop catalog at " + warehouse;
            case JDBC -> "the jdbc catalog at " + Secrets.text(jdbcUri);
            case S3TABLES -> "the s3tables catalog of table bucket " + s3tables.map(S3TablesConfig::tableBucketArn)
                    .orElse("");
        };
    }

    /** {@code namespace.name}, as Iceberg and Spark print it. */
    public String qualifiedName() {
        return namespace + "." + name;
    }

    /** The name of the table's load ledger, beside it in its namespace: {@code <name>_loads}. */
    public String ledgerName() {
        return name + LEDGER_SUFFIX;
    }

    // the same names must work in folders, unquoted in Spark SQL, Athena and DuckDB, and in S3 Tables
    private static String namespace(Settings s) {
        String value = s.string("pipeline.table.namespace");
        if (!value.isEmpty()) {
            Names.namespaceProblem("pipeline.table.namespace", value).ifPresent(s::problem);
        }
        return value;
    }

    private static String name(Settings s) {
        String value = s.string("pipeline.table.name");
        if (!value.isEmpty()) {
            Names.problem("pipeline.table.name", value).ifPresent(s::problem);
            if (value.length() + LEDGER_SUFFIX.length() > Names.MAX_LENGTH) {
                s.problem("pipeline.table.name must be at most " + (Names.MAX_LENGTH - LEDGER_SUFFIX.length())
                          + " characters, to leave room for its load ledger's name " + value + LEDGER_SUFFIX
                          + ", was " + value.length());
            }
        }
        return value;
    }
}
