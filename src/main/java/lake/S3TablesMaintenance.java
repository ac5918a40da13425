package lake;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import config.MaintenanceConfig;
import config.S3TablesConfig;
import config.TableConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3tables.S3TablesClient;
import software.amazon.awssdk.services.s3tables.model.GetTableMaintenanceConfigurationResponse;
import software.amazon.awssdk.services.s3tables.model.IcebergCompactionSettings;
import software.amazon.awssdk.services.s3tables.model.IcebergSnapshotManagementSettings;
import software.amazon.awssdk.services.s3tables.model.MaintenanceStatus;
import software.amazon.awssdk.services.s3tables.model.TableMaintenanceConfigurationValue;
import software.amazon.awssdk.services.s3tables.model.TableMaintenanceSettings;
import software.amazon.awssdk.services.s3tables.model.TableMaintenanceType;

/**
 * The maintenance configuration of a table in Amazon S3 Tables, which compacts and expires snapshots itself:
 * compaction on or off and its target file size, and how many snapshots it keeps for how long, set from
 * {@code pipeline.table.maintenance.*} (when enabled) through the S3 Tables API (PutTableMaintenanceConfiguration), on
 * the table and its load ledger, and read back (GetTableMaintenanceConfiguration) for {@code maintain} to print. The
 * control plane is at the Iceberg REST endpoint's host ({@code pipeline.s3tables.endpoint} without {@code /iceberg}).
 * Nothing here depends on the table's delete files: S3 Tables' compaction applies row-level deletes as it combines
 * files (its maintenance documentation says so), so a merge-on-read table needs nothing more.
 */
public final class S3TablesMaintenance {

    private static final Logger LOG = LoggerFactory.getLogger(S3TablesMaintenance.class);
    /** The tables this process has set already: once each, after the load that made them or at the first load. */
    private static final Set<String> APPLIED = ConcurrentHashMap.newKeySet();

    private final TableConfig config;
    private final S3TablesConfig s3tables;

    public S3TablesMaintenance(TableConfig config) {
        this.config = config;
        this.s3tables = config.s3tables().orElseThrow(() -> new IllegalStateException(
                "Table " + config.qualifiedName() + " is not in S3 Tables (pipeline.table.catalog=s3tables)"));
    }

    /** One table's maintenance as S3 Tables says it. */
    public record Configuration(String table, String compaction, String snapshotManagement) {

        public String describe() {
            return table + ": compaction " + compaction + "; snapshot management " + snapshotManagement;
        }
    }

    /** The table's and its ledger's names in their namespace. */
    private List<String> tables() {
        return List.of(config.name(), config.ledgerName());
    }

    /**
     * Sets the maintenance configuration of the table and of its ledger from the settings, where S3 Tables has
     * another; a table not made yet is left for later. Only when {@code pipeline.table.maintenance.enabled}.
     */
    public void apply() {
        if (!config.maintenance().enabled()) {
            return;
        }
        try (S3TablesClient client = client()) {
            for (String table : tables()) {
                apply(client, table);
            }
        }
    }

    /** As {@link #apply()}, once per table in this process: after a load, which may have made the table. */
    void applyOnce() {
        if (!config.maintenance().enabled()) {
            return;
        }
        String key = s3tables.tableBucketArn() + "/" + config.qualifiedName();
        if (APPLIED.contains(key)) {
            return;
        }
        try {
            apply();
            APPLIED.add(key);
        } catch (RuntimeException e) {
            LOG.warn("Cannot set the S3 Tables maintenance configuration of {} in {} ({}); tried again at the next"
                     + " load", config.qualifiedName(), s3tables.tableBucketArn(), e.toString());
        }
    }

    private void apply(S3TablesClient client, String table) {
        Map<TableMaintenanceType, TableMaintenanceConfigurationValue> current;
        try {
            current = get(client, table).configuration();
        } catch (software.amazon.awssdk.services.s3tables.model.NotFoundException e) {
            return; // made by the first load that needs it
        }
        MaintenanceConfig wanted = config.maintenance();
        TableMaintenanceConfigurationValue compaction = TableMaintenanceConfigurationValue.builder()
                .status(wanted.compact() ? MaintenanceStatus.ENABLED : MaintenanceStatus.DISABLED)
                .settings(TableMaintenanceSettings.builder().icebergCompaction(IcebergCompactionSettings.builder()
                        .targetFileSizeMB(wanted.targetFileSizeMb()).build()).build())
                .build();
        TableMaintenanceConfigurationValue snapshots = TableMaintenanceConfigurationValue.builder()
                .status(MaintenanceStatus.ENABLED)
                .settings(TableMaintenanceSettings.builder().icebergSnapshotManagement(
                        IcebergSnapshotManagementSettings.builder()
                                .minSnapshotsToKeep(wanted.keepSnapshots())
                                .maxSnapshotAgeHours((int) wanted.expireSnapshotsAfter().toHours())
                                .build()).build())
                .build();
        put(client, table, TableMaintenanceType.ICEBERG_COMPACTION, compaction,
                current.get(TableMaintenanceType.ICEBERG_COMPACTION));
        put(client, table, TableMaintenanceType.ICEBERG_SNAPSHOT_MANAGEMENT, snapshots,
                current.get(TableMaintenanceType.ICEBERG_SNAPSHOT_MANAGEMENT));
    }

    private void put(S3TablesClient client, String table, TableMaintenanceType type,
                     TableMaintenanceConfigurationValue wanted, TableMaintenanceConfigurationValue current) {
        if (sameAs(wanted, current)) {
            return;
        }
        client.putTableMaintenanceConfiguration(b -> b.tableBucketARN(s3tables.tableBucketArn())
                .namespace(config.namespace()).name(table).type(type).value(wanted));
        LOG.info("Set the S3 Tables {} of {}.{} in {}: {}", type, config.namespace(), table,
                s3tables.tableBucketArn(), describe(wanted));
    }

    /** The same status and the same values of what is wanted (S3 Tables may add a strategy of its own). */
    private static boolean sameAs(TableMaintenanceConfigurationValue wanted, TableMaintenanceConfigurationValue current) {
        if (current == null || current.status() != wanted.status()) {
            return false;
        }
        TableMaintenanceSettings want = wanted.settings();
        TableMaintenanceSettings have = current.settings();
        if (have == null) {
            return false;
        }
        if (want.icebergCompaction() != null) {
            return have.icebergCompaction() != null && want.icebergCompaction().targetFileSizeMB()
                    .equals(have.icebergCompaction().targetFileSizeMB());
        }
        return have.icebergSnapshotManagement() != null
               && want.icebergSnapshotManagement().minSnapshotsToKeep()
                       .equals(have.icebergSnapshotManagement().minSnapshotsToKeep())
               && want.icebergSnapshotManagement().maxSnapshotAgeHours()
                       .equals(have.icebergSnapshotManagement().maxSnapshotAgeHours());
    }

    /** The maintenance configuration of the table and its ledger as S3 Tables has it; a table not made is left out. */
    public List<Configuration> read() {
        List<Configuration> configurations = new ArrayList<>();
        try (S3TablesClient client = client()) {
            for (String table : tables()) {
                try {
                    Map<TableMaintenanceType, TableMaintenanceConfigurationValue> values =
                            get(client, table).configuration();
                    configurations.add(new Configuration(config.namespace() + "." + table,
                            describe(values.get(TableMaintenanceType.ICEBERG_COMPACTION)),
                            describe(values.get(TableMaintenanceType.ICEBERG_SNAPSHOT_MANAGEMENT))));
                } catch (software.amazon.awssdk.services.s3tables.model.NotFoundException e) {
                    // not made yet
                }
            }
        }
        return configurations;
    }

    private GetTableMaintenanceConfigurationResponse get(S3TablesClient client, String table) {
        return client.getTableMaintenanceConfiguration(b -> b.tableBucketARN(s3tables.tableBucketArn())
                .namespace(config.namespace()).name(table));
    }

    private static String describe(TableMaintenanceConfigurationValue value) {
        if (value == null) {
            return "not set";
        }
        StringBuilder text = new StringBuilder(value.statusAsString());
        TableMaintenanceSettings settings = value.settings();
        if (settings != null && settings.icebergCompaction() != null) {
            text.append(", target file size ").append(settings.icebergCompaction().targetFileSizeMB()).append(" MB");
        }
        if (settings != null && settings.icebergSnapshotManagement() != null) {
            IcebergSnapshotManagementSettings snapshots = settings.icebergSnapshotManagement();
            text.append(", at least ").append(snapshots.minSnapshotsToKeep()).append(" kept, expired after ")
                    .append(snapshots.maxSnapshotAgeHours()).append(" h");
        }
        return text.toString();
    }

    private S3TablesClient client() {
        return S3TablesClient.builder()
                .region(Region.of(s3tables.region()))
                .endpointOverride(controlEndpoint(s3tables.endpoint()))
                .build();
    }

    /** The S3 Tables API at the Iceberg REST endpoint's host: {@code https://s3tables.<region>.amazonaws.com}. */
    static URI controlEndpoint(URI icebergEndpoint) {
        String path = icebergEndpoint.getPath() == null ? "" : icebergEndpoint.getPath().replaceAll("/+$", "");
        String control = path.endsWith("/iceberg") ? path.substring(0, path.length() - "/iceberg".length()) : path;
        return icebergEndpoint.resolve(control.isEmpty() ? "/" : control + "/");
    }
}
