package lake;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import config.S3TablesConfig;
import config.TableConfig;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileContent;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.aws.AwsClientProperties;
import org.apache.iceberg.aws.AwsProperties;
import org.apache.iceberg.aws.s3.S3FileIO;
import org.apache.iceberg.aws.s3.S3FileIOProperties;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.exceptions.NoSuchNamespaceException;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.hadoop.HadoopCatalog;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.apache.iceberg.rest.RESTCatalog;
import org.apache.iceberg.rest.auth.AuthProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configured Iceberg catalog: a {@link HadoopCatalog} over a local warehouse directory (the layout of Spark's
 * {@code type=hadoop} catalog: {@code <warehouse>/<namespace>/<table>/metadata/vN.metadata.json}), a
 * {@link JdbcCatalog}, or the {@link RESTCatalog} that Amazon S3 Tables serves for a table bucket (SigV4-signed, the
 * data files written by {@link S3FileIO}, credentials from the AWS default chain). Open one per unit of work and close
 * it.
 */
public final class IcebergTables implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(IcebergTables.class);

    private static final String CATALOG_NAME = "pipeline";

    private final TableConfig config;
    private final Catalog catalog;

    private IcebergTables(TableConfig config, Catalog catalog) {
        this.config = config;
        this.catalog = catalog;
    }

    public static IcebergTables open(TableConfig config) {
        String warehouse = config.warehouse().toAbsolutePath().normalize().toString();
        return switch (config.catalog()) {
            case HADOOP -> new IcebergTables(config, new HadoopCatalog(hadoopConfiguration(), warehouse));
            case JDBC -> {
                JdbcCatalog jdbc = new JdbcCatalog();
                jdbc.setConf(hadoopConfiguration());
                jdbc.initialize(CATALOG_NAME, Map.of(
                        CatalogProperties.URI, config.jdbcUri(),
                        CatalogProperties.WAREHOUSE_LOCATION, warehouse));
                yield new IcebergTables(config, jdbc);
            }
            case S3TABLES -> new IcebergTables(config, s3Tables(config.s3tables().orElseThrow()));
        };
    }

    /**
     * A Hadoop configuration of its own for each catalog, copied from one that read Hadoop's default resources
     * ({@code core-default.xml}, {@code core-site.xml}) once: a new one reads and parses them again at its first use,
     * 40 ms of a run's load stage. A local warehouse is written through {@link LocalFileSystemWithoutForks}.
     */
    private static Configuration hadoopConfiguration() {
        return new Configuration(HadoopDefaults.LOADED);
    }

    private static final class HadoopDefaults {

        static final Configuration LOADED = loaded();

        private static Configuration loaded() {
            Configuration configuration = new Configuration();
            configuration.size(); // reads the resources now
            configuration.set("fs.file.impl", LocalFileSystemWithoutForks.class.getName());
            return configuration;
        }
    }

    /** The table bucket's Iceberg REST catalog; no key is passed: the signer and S3FileIO use the default chain. */
    private static RESTCatalog s3Tables(S3TablesConfig s3tables) {
        Map<String, String> properties = new HashMap<>();
        properties.put(CatalogProperties.URI, s3tables.endpoint().toString());
        properties.put(CatalogProperties.WAREHOUSE_LOCATION, s3tables.tableBucketArn());
        properties.put(AuthProperties.AUTH_TYPE, AuthProperties.AUTH_TYPE_SIGV4);
        properties.put(AwsProperties.REST_SIGNING_NAME, "s3tables");
        properties.put(AwsProperties.REST_SIGNER_REGION, s3tables.region());
        properties.put(CatalogProperties.FILE_IO_IMPL, S3FileIO.class.getName());
        properties.put(AwsClientProperties.CLIENT_REGION, s3tables.region());
        s3tables.s3Endpoint().ifPresent(uri -> properties.put(S3FileIOProperties.ENDPOINT, uri.toString()));
        if (s3tables.s3PathStyle()) {
            properties.put(S3FileIOProperties.PATH_STYLE_ACCESS, "true");
        }
        RESTCatalog rest = new S3TablesRestCatalog(s3tables.tableLocationPrefix());
        try {
            rest.initialize(CATALOG_NAME, properties);
        } catch (RuntimeException e) {
            closeQuietly(rest);
            throw new IllegalStateException("Cannot open the Iceberg REST catalog of table bucket "
                    + s3tables.tableBucketArn() + " (" + S3TablesConfig.ARN_PROPERTY + ") at " + s3tables.endpoint()
                    + ": " + e.getMessage(), e);
        }
        return rest;
    }

    /** The configured table, loaded through a catalog that is closed again; enough for reading and scan planning. */
    public static Table load(TableConfig config) {
        try (IcebergTables tables = open(config)) {
            return tables.load();
        }
    }

    /** The configured table's current snapshot and its files. */
    public static SnapshotFiles currentFiles(TableConfig config) {
        return currentFiles(load(config));
    }

    /** Plans a scan of {@code table}'s current snapshot and lists its data and delete files. */
    public static SnapshotFiles currentFiles(Table table) {
        Snapshot current = table.currentSnapshot();
        Set<String> data = new LinkedHashSet<>();
        Set<String> deletes = new LinkedHashSet<>();
        Set<String> equalityDeletes = new LinkedHashSet<>();
        try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
            for (FileScanTask task : tasks) {
                data.add(task.file().location());
                for (DeleteFile delete : task.deletes()) {
                    deletes.add(delete.location());
                    if (delete.content() == FileContent.EQUALITY_DELETES) {
                        equalityDeletes.add(delete.location());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot plan a scan of " + table.name(), e);
        }
        return new SnapshotFiles(
                table.name(),
                table.schema(),
                current == null ? SnapshotFiles.NO_SNAPSHOT : current.snapshotId(),
                new ArrayList<>(data),
                new ArrayList<>(deletes),
                new ArrayList<>(equalityDeletes));
    }

    public Catalog catalog() {
        return catalog;
    }

    public TableIdentifier identifier() {
        return TableIdentifier.of(config.namespace(), config.name());
    }

    /** The table's load ledger ({@link LoadLedger}): {@code <table>_loads} in the same namespace. */
    public TableIdentifier ledgerIdentifier() {
        return TableIdentifier.of(config.namespace(), config.ledgerName());
    }

    public Optional<Table> find() {
        return find(identifier());
    }

    /** The table's load ledger, if it was made. */
    public Optional<Table> findLedger() {
        return find(ledgerIdentifier());
    }

    private Optional<Table> find(TableIdentifier table) {
        try {
            return Optional.of(catalog.loadTable(table));
        } catch (NoSuchTableException e) {
            return Optional.empty();
        } catch (RuntimeException e) {
            throw namingTheTableBucket("load table " + table, e);
        }
    }

    public Table load() {
        return find().orElseThrow(() -> new NoSuchTableException(
                "Table %s does not exist in the %s catalog at %s; nothing has been loaded yet",
                config.qualifiedName(), config.catalog().name().toLowerCase(), location()));
    }

    /** Every table of the catalog, namespace by namespace, with its rows and last load. */
    public List<TableSummary> summaries() {
        List<TableSummary> summaries = new ArrayList<>();
        try {
            List<Namespace> namespaces;
            try {
                namespaces = ((SupportsNamespaces) catalog).listNamespaces();
            } catch (NoSuchNamespaceException e) {
                // a warehouse folder nothing was loaded into yet
                return summaries;
            }
            for (Namespace namespace : namespaces) {
                List<TableIdentifier> identifiers = new ArrayList<>(catalog.listTables(namespace));
                identifiers.sort(Comparator.comparing(TableIdentifier::toString));
                for (TableIdentifier identifier : identifiers) {
                    try {
                        summaries.add(TableSummary.of(identifier.toString(), catalog.loadTable(identifier)));
                    } catch (NoSuchTableException e) {
                        // dropped since it was listed
                    }
                }
            }
        } catch (RuntimeException e) {
            throw namingTheTableBucket("list the tables", e);
        }
        summaries.sort(Comparator.comparing(TableSummary::name));
        return markLedgers(summaries);
    }

    /**
     * The summaries with each load ledger known as such: a table named {@code <table>_loads} beside {@code <table>},
     * with the ledger's columns.
     */
    private static List<TableSummary> markLedgers(List<TableSummary> summaries) {
        Set<String> names = new HashSet<>();
        summaries.forEach(summary -> names.add(summary.name()));
        return summaries.stream().map(summary -> {
            String name = summary.name();
            if (!name.endsWith(TableConfig.LEDGER_SUFFIX)) {
                return summary;
            }
            String dataTable = name.substring(0, name.length() - TableConfig.LEDGER_SUFFIX.length());
            return names.contains(dataTable) && LoadLedger.hasLedgerColumns(summary.table())
                    ? summary.asLedgerOf(dataTable) : summary;
        }).toList();
    }

    /**
     * Drops the table {@code identifier} with its files: a local catalog deletes its data and metadata files, S3
     * Tables deletes the table's storage itself. False when there is no such table.
     */
    public boolean drop(TableIdentifier identifier) {
        try {
            return catalog.dropTable(identifier, true);
        } catch (RuntimeException e) {
            throw namingTheTableBucket("drop table " + identifier, e);
        }
    }

    /**
     * Creates the configured namespace unless it exists; another writer creating it first is fine. True when this
     * call created it.
     */
    public boolean createNamespaceIfMissing() {
        SupportsNamespaces namespaces = (SupportsNamespaces) catalog;
        Namespace namespace = Namespace.of(config.namespace());
        try {
            if (!namespaces.namespaceExists(namespace)) {
                try {
                    namespaces.createNamespace(namespace);
                    return true;
                } catch (AlreadyExistsException e) {
                    // created concurrently: what we wanted
                }
            }
            return false;
        } catch (RuntimeException e) {
            throw namingTheTableBucket("create namespace " + config.namespace(), e);
        }
    }

    /** Drops the configured namespace if it holds no table; true when it did. Its failure is logged, not thrown. */
    public boolean dropNamespaceIfEmpty() {
        Namespace namespace = Namespace.of(config.namespace());
        try {
            return catalog.listTables(namespace).isEmpty() && ((SupportsNamespaces) catalog).dropNamespace(namespace);
        } catch (RuntimeException e) {
            LOG.warn("Cannot drop the namespace {}: {}", config.namespace(), e.toString());
            return false;
        }
    }

    /**
     * A refusal of the S3 Tables REST catalog (no such table bucket, no permission) says which table bucket, which
     * property names it, and through which endpoint; other catalogs' failures pass unchanged.
     */
    private RuntimeException namingTheTableBucket(String action, RuntimeException e) {
        if (config.s3tables().isEmpty()) {
            return e;
        }
        S3TablesConfig s3tables = config.s3tables().get();
        return new IllegalStateException("Cannot " + action + " in table bucket " + s3tables.tableBucketArn() + " ("
                + S3TablesConfig.ARN_PROPERTY + ") through " + s3tables.endpoint() + ": " + e.getMessage(), e);
    }

    @Override
    public void close() {
        try {
            ((Closeable) catalog).close();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot close the Iceberg catalog", e);
        }
    }

    private String location() {
        return switch (config.catalog()) {
            case HADOOP -> config.warehouse().toString();
            case JDBC -> config.jdbcUri();
            case S3TABLES -> config.s3tables().orElseThrow().tableBucketArn();
        };
    }

    /**
     * The REST catalog, giving new tables a location under a prefix where one is configured: S3 Tables chooses every
     * table's location itself, but an emulator may not (MiniStack stores none when the request names none).
     */
    private static final class S3TablesRestCatalog extends RESTCatalog {

        private final Optional<String> tableLocationPrefix;

        S3TablesRestCatalog(Optional<String> tableLocationPrefix) {
            this.tableLocationPrefix = tableLocationPrefix;
        }

        @Override
        public TableBuilder buildTable(TableIdentifier identifier, Schema schema) {
            TableBuilder builder = super.buildTable(identifier, schema);
            return tableLocationPrefix
                    .map(prefix -> builder.withLocation(prefix + "/" + identifier.namespace() + "/" + identifier.name()))
                    .orElse(builder);
        }
    }

    private static void closeQuietly(Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException | RuntimeException ignored) {
            // the failure to open is what the caller must hear about
        }
    }
}
