package lake;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import config.TableConfig;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.BaseMetastoreCatalog;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.hadoop.HadoopCatalog;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.jdbc.JdbcCatalog;

/**
 * The configured Iceberg catalog: a {@link HadoopCatalog} over a local warehouse directory (the layout of Spark's
 * {@code type=hadoop} catalog: {@code <warehouse>/<namespace>/<table>/metadata/vN.metadata.json}), or a
 * {@link JdbcCatalog}. Open one per unit of work and close it.
 */
public final class IcebergTables implements Closeable {

    private static final String CATALOG_NAME = "pipeline";

    private final TableConfig config;
    private final BaseMetastoreCatalog catalog;

    private IcebergTables(TableConfig config, BaseMetastoreCatalog catalog) {
        this.config = config;
        this.catalog = catalog;
    }

    public static IcebergTables open(TableConfig config) {
        String warehouse = config.warehouse().toAbsolutePath().normalize().toString();
        return switch (config.catalog()) {
            case HADOOP -> new IcebergTables(config, new HadoopCatalog(new Configuration(), warehouse));
            case JDBC -> {
                JdbcCatalog jdbc = new JdbcCatalog();
                jdbc.setConf(new Configuration());
                jdbc.initialize(CATALOG_NAME, Map.of(
                        CatalogProperties.URI, config.jdbcUri(),
                        CatalogProperties.WAREHOUSE_LOCATION, warehouse));
                yield new IcebergTables(config, jdbc);
            }
        };
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
        try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
            for (FileScanTask task : tasks) {
                data.add(task.file().location());
                for (DeleteFile delete : task.deletes()) {
                    deletes.add(delete.location());
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
                new ArrayList<>(deletes));
    }

    public Catalog catalog() {
        return catalog;
    }

    public TableIdentifier identifier() {
        return TableIdentifier.of(config.namespace(), config.name());
    }

    public Optional<Table> find() {
        try {
            return Optional.of(catalog.loadTable(identifier()));
        } catch (NoSuchTableException e) {
            return Optional.empty();
        }
    }

    public Table load() {
        return find().orElseThrow(() -> new NoSuchTableException(
                "Table %s does not exist in the %s catalog at %s; nothing has been loaded yet",
                config.qualifiedName(), config.catalog().name().toLowerCase(), location()));
    }

    /** Creates the configured namespace unless it exists; another writer creating it first is fine. */
    public void createNamespaceIfMissing() {
        SupportsNamespaces namespaces = (SupportsNamespaces) catalog;
        Namespace namespace = Namespace.of(config.namespace());
        if (!namespaces.namespaceExists(namespace)) {
            try {
                namespaces.createNamespace(namespace);
            } catch (AlreadyExistsException e) {
                // created concurrently: what we wanted
            }
        }
    }

    @Override
    public void close() {
        try {
            catalog.close();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot close the Iceberg catalog", e);
        }
    }

    private String location() {
        return config.catalog() == TableConfig.Catalog.JDBC ? config.jdbcUri() : config.warehouse().toString();
    }
}
