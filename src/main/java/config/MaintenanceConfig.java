package config;

import java.time.Duration;

/**
 * {@code pipeline.table.maintenance.*}: how a table is kept small and its history short. On a local or JDBC catalog
 * {@code maintain} (and, when enabled, the service every {@code interval}) compacts small data files, expires old
 * snapshots and deletes the files no snapshot references; on Amazon S3 Tables, which maintains its tables itself, the
 * same values become each table's maintenance configuration when enabled.
 *
 * @param enabled              the service maintains its tables on a schedule; on S3 Tables, the app sets their
 *                             maintenance configuration from these values (false: it leaves it as it is)
 * @param interval             how often the service maintains, from one interval after its start
 * @param compact              whether small data files are merged
 * @param targetFileSize       the size a compacted file grows to, in bytes
 * @param minInputFiles        the fewest small files worth merging into one
 * @param keepSnapshots        the fewest snapshots kept, however old
 * @param expireSnapshotsAfter how old a snapshot (beyond the ones kept) is before it expires
 * @param removeOrphanFiles    whether files of the table's folder that no snapshot references are deleted
 * @param orphanFilesAfter     how old such a file must be before it is deleted (a younger one may be a write in
 *                             progress)
 */
public record MaintenanceConfig(
        boolean enabled,
        Duration interval,
        boolean compact,
        long targetFileSize,
        int minInputFiles,
        int keepSnapshots,
        Duration expireSnapshotsAfter,
        boolean removeOrphanFiles,
        Duration orphanFilesAfter) {

    /** What S3 Tables accepts as a compaction's target file size, in MB. */
    public static final long S3TABLES_MIN_TARGET_MB = 64;
    public static final long S3TABLES_MAX_TARGET_MB = 512;
    private static final String PREFIX = "pipeline.table.maintenance.";

    static MaintenanceConfig from(Settings s, boolean onS3Tables) {
        MaintenanceConfig config = new MaintenanceConfig(
                s.bool(PREFIX + "enabled"),
                positive(s, PREFIX + "interval"),
                s.bool(PREFIX + "compact"),
                s.number(PREFIX + "targetFileSize", 1024 * 1024, 64L * 1024 * 1024 * 1024),
                s.integer(PREFIX + "minInputFiles", 2, 1_000_000),
                s.integer(PREFIX + "keepSnapshots", 1, 1_000_000),
                s.duration(PREFIX + "expireSnapshotsAfter"),
                s.bool(PREFIX + "removeOrphanFiles"),
                s.duration(PREFIX + "orphanFilesAfter"));
        if (onS3Tables && config.enabled()) {
            long mb = config.targetFileSize() / (1024 * 1024);
            if (mb < S3TABLES_MIN_TARGET_MB || mb > S3TABLES_MAX_TARGET_MB) {
                s.problem(PREFIX + "targetFileSize must be between " + S3TABLES_MIN_TARGET_MB + "MB and "
                          + S3TABLES_MAX_TARGET_MB + "MB on S3 Tables (its compaction's range), was "
                          + s.optional(PREFIX + "targetFileSize").orElse(""));
            }
            if (config.expireSnapshotsAfter().toHours() < 1) {
                s.problem(PREFIX + "expireSnapshotsAfter must be 1h or more on S3 Tables (it counts whole hours),"
                          + " was " + s.optional(PREFIX + "expireSnapshotsAfter").orElse(""));
            }
        }
        return config;
    }

    private static Duration positive(Settings s, String key) {
        Duration value = s.duration(key);
        if (value.isNegative() || value.isZero()) {
            s.problem(key + " must be longer than 0, was " + s.optional(key).orElse(""));
        }
        return value;
    }

    /** The target file size as S3 Tables takes it, in whole MB. */
    public int targetFileSizeMb() {
        return (int) (targetFileSize / (1024 * 1024));
    }
}
