package lake;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import config.MaintenanceConfig;
import config.TableConfig;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileContent;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.MetricsConfig;
import org.apache.iceberg.RewriteFiles;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotSummary;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.parquet.ParquetUtil;
import org.apache.iceberg.util.PropertyUtil;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.SeekableInputStream;
import org.apache.parquet.schema.MessageType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a table of a local or JDBC catalog (and its load ledger) small and its history short, as
 * {@code pipeline.table.maintenance.*} says: first the ledger is given every commit it lacks (before any snapshot
 * expires), then small data files are merged, then old snapshots expire with the files only they referenced, then
 * the files of the table's folder that no snapshot references are deleted. Iceberg's core has the expiry; the
 * compaction and the removal of orphan files are Spark actions there, so they are done here:
 * <ul>
 *   <li>the expiry's files (data, delete, manifest) are those the expired snapshots referenced and no kept one does,
 *   read from their manifests ({@link ReferencedFiles});</li>
 *   <li>compaction appends the row groups of small Parquet files of one schema to a new file as they are, nothing
 *   decoded, and commits a {@code replace} snapshot ({@code newRewrite}), which the ledger never takes for a load
 *   and never for a replacement of the rows. A file position deletes apply to (a merge-on-read merge's, whatever
 *   its size) is compacted without its deleted rows ({@link ParquetCopy}: only the row groups that lose rows are
 *   written again), and a position delete file goes in the same commit once every file it applies to is rewritten.
 *   Equality deletes are refused: the table is left as it is;</li>
 *   <li>orphan files are those of the table's own folder that are no file of {@link ReferencedFiles}, older than
 *   {@code orphanFilesAfter}; nothing outside the folder is looked at.</li>
 * </ul>
 * A table's runs and its maintenance take turns (run/RunQueue in the service; the data dir's lock for the command).
 */
public final class TableMaintenance {

    private static final Logger LOG = LoggerFactory.getLogger(TableMaintenance.class);
    private static final ParquetReadOptions PLAIN = ParquetReadOptions.builder(new PlainParquetConfiguration()).build();

    private final TableConfig config;
    private final MaintenanceConfig settings;
    private final Clock clock;

    public TableMaintenance(TableConfig config) {
        this(config, Clock.systemUTC());
    }

    TableMaintenance(TableConfig config, Clock clock) {
        this.config = config;
        this.settings = config.maintenance();
        this.clock = clock;
    }

    /**
     * What maintenance did to one table.
     *
     * @param table            the table, {@code data.products} or its ledger {@code data.products_loads}
     * @param ledgerRows       commits written to the load ledger that it lacked
     * @param filesCompacted   small data files merged
     * @param filesWritten     the files they were merged into
     * @param bytesCompacted   the bytes of the small files
     * @param deletesApplied   position delete files applied to the files compacted
     * @param deletesRemoved   position delete files the compaction removed: every file they applied to is rewritten
     * @param rowsDeleted      rows the compaction left out, deleted by those files
     * @param snapshotsExpired snapshots expired
     * @param filesExpired     files deleted with them (data and delete files, manifests, manifest lists, statistics)
     * @param orphansRemoved   files deleted that no snapshot referenced
     * @param orphanBytes      their bytes
     * @param dataFiles        data files of the current snapshot after maintenance
     * @param deleteFiles      delete files of the current snapshot after maintenance
     * @param rows             rows of the current snapshot (unchanged by maintenance)
     * @param took             how long it took
     * @param notes            what was left alone and why
     */
    public record Result(String table, int ledgerRows, int filesCompacted, int filesWritten, long bytesCompacted,
                         int deletesApplied, int deletesRemoved, long rowsDeleted, int snapshotsExpired,
                         int filesExpired, int orphansRemoved, long orphanBytes, int dataFiles, int deleteFiles,
                         long rows, Duration took, List<String> notes) {

        /** One line, as {@code maintain} prints it and the service logs it. */
        public String describe() {
            StringBuilder line = new StringBuilder(table).append(": ");
            if (ledgerRows > 0) {
                line.append("recorded ").append(ledgerRows).append(" commit(s) in the load ledger; ");
            }
            line.append(filesCompacted == 0 ? "nothing compacted" : String.format(Locale.ROOT,
                    "compacted %d small file(s) (%s) into %d", filesCompacted, size(bytesCompacted), filesWritten));
            if (deletesApplied > 0) {
                line.append(String.format(Locale.ROOT, ", applying %d position delete file(s): %d row(s) removed by"
                        + " deletes, %d delete file(s) removed", deletesApplied, rowsDeleted, deletesRemoved));
            }
            line.append(String.format(Locale.ROOT, "; expired %d snapshot(s), deleting %d file(s)", snapshotsExpired,
                    filesExpired));
            line.append(String.format(Locale.ROOT, "; removed %d orphan file(s) (%s)", orphansRemoved,
                    size(orphanBytes)));
            line.append(String.format(Locale.ROOT, "; now %d data file(s)", dataFiles));
            if (deleteFiles > 0) {
                line.append(String.format(Locale.ROOT, ", %d delete file(s)", deleteFiles));
            }
            line.append(String.format(Locale.ROOT, ", %d row(s); %.1f s", rows, took.toMillis() / 1000.0));
            notes.forEach(note -> line.append("; ").append(note));
            return line.toString();
        }

        private static String size(long bytes) {
            return bytes < 1024 * 1024 ? String.format(Locale.ROOT, "%.1f KB", bytes / 1024.0)
                    : String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024));
        }
    }

    /** Maintains the table and its load ledger; nothing when the table was never made. */
    public List<Result> maintain() {
        if (config.catalog() == TableConfig.Catalog.S3TABLES) {
            throw new IllegalStateException("Table " + config.qualifiedName() + " is in S3 Tables, which maintains its"
                    + " tables itself (its maintenance configuration comes from pipeline.table.maintenance.*)");
        }
        List<Result> results = new ArrayList<>();
        try (IcebergTables tables = IcebergTables.open(config)) {
            Optional<Table> data = tables.find();
            if (data.isEmpty()) {
                return results;
            }
            // first: what the snapshots say of the loads is written down before any of them expires
            int recorded = new LoadLedger(tables).record(data.get()).size();
            results.add(maintain(data.get(), config.qualifiedName(), recorded));
            tables.findLedger().ifPresent(ledger -> results.add(maintain(ledger,
                    tables.ledgerIdentifier().toString(), 0)));
        }
        return results;
    }

    private Result maintain(Table table, String name, int ledgerRows) {
        Instant started = clock.instant();
        List<String> notes = new ArrayList<>();
        Path root = localFolder(table);
        Compacted compacted = settings.compact() ? compact(table, name, notes) : Compacted.NONE;
        Expired expired = expire(table);
        Removed orphans = settings.removeOrphanFiles() ? removeOrphans(table, root, notes) : new Removed(0, 0);
        table.refresh();
        SnapshotFiles files = IcebergTables.currentFiles(table);
        Snapshot current = table.currentSnapshot();
        long rows = LiveRows.of(current);
        Result result = new Result(name, ledgerRows, compacted.files(), compacted.written(), compacted.bytes(),
                compacted.deletesApplied(), compacted.deletesRemoved(), compacted.rowsDeleted(), expired.snapshots(),
                expired.files(), orphans.files(), orphans.bytes(), files.dataFiles().size(), files.deleteFiles().size(),
                rows, Duration.between(started, clock.instant()), notes);
        LOG.info("Maintained {}", result.describe());
        return result;
    }

    /** Small files merged into {@code written} files, of {@code bytes} in all, and the position deletes applied. */
    private record Compacted(int files, int written, long bytes, int deletesApplied, int deletesRemoved,
                             long rowsDeleted) {
        static final Compacted NONE = new Compacted(0, 0, 0, 0, 0, 0);
    }

    private record Expired(int snapshots, int files) {
    }

    private record Removed(int files, long bytes) {
    }

    /**
     * Merges the small data files of the current snapshot, those of one Parquet schema at a time, into files of up to
     * the target size, when at least {@code minInputFiles} go into one or position deletes apply to one; the deleted
     * rows are left out, and the delete files that apply to no other file are removed in the same commit.
     */
    private Compacted compact(Table table, String name, List<String> notes) {
        Snapshot start = table.currentSnapshot();
        if (start == null) {
            return Compacted.NONE;
        }
        if (table.spec().isPartitioned()) {
            notes.add("not compacted: partitioned by " + table.spec());
            return Compacted.NONE;
        }
        // the small files and those with deletes, grouped by their Parquet schema (a file before an added column
        // differs); and for each delete file, the files it applies to
        Map<MessageType, List<Footed>> bySchema = new LinkedHashMap<>();
        Map<String, Applied> deletes = new LinkedHashMap<>();
        try (CloseableIterable<FileScanTask> tasks = table.newScan().useSnapshot(start.snapshotId()).planFiles()) {
            for (FileScanTask task : tasks) {
                DataFile file = task.file();
                for (DeleteFile delete : task.deletes()) {
                    if (delete.content() == FileContent.EQUALITY_DELETES) {
                        throw equalityDeletes(name, delete, file);
                    }
                    deletes.computeIfAbsent(delete.location(), location -> new Applied(delete, new HashSet<>()))
                            .files().add(file.location());
                }
                if (file.format() != FileFormat.PARQUET
                        || (task.deletes().isEmpty() && file.fileSizeInBytes() >= settings.targetFileSize())) {
                    continue;
                }
                ParquetMetadata footer = footer(localPath(file.location()));
                bySchema.computeIfAbsent(footer.getFileMetaData().getSchema(), schema -> new ArrayList<>())
                        .add(new Footed(file, footer, List.copyOf(task.deletes())));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot plan the files of " + table.name(), e);
        }
        PositionDeletes positionDeletes = new PositionDeletes(table);
        List<DataFile> replaced = new ArrayList<>();
        List<DataFile> written = new ArrayList<>();
        Set<String> applied = new HashSet<>();
        long rowsDeleted = 0;
        try {
            for (List<Footed> group : bySchema.values()) {
                for (List<Footed> bin : bins(group)) {
                    boolean withDeletes = bin.stream().anyMatch(footed -> !footed.deletes().isEmpty());
                    if (bin.size() < settings.minInputFiles() && !withDeletes) {
                        continue;
                    }
                    Merged merged = merge(table, bin, positionDeletes);
                    merged.file().ifPresent(written::add);
                    rowsDeleted += merged.rowsDeleted();
                    bin.forEach(footed -> {
                        replaced.add(footed.file());
                        footed.deletes().forEach(delete -> applied.add(delete.location()));
                    });
                }
            }
        } catch (RuntimeException e) {
            written.forEach(file -> table.io().deleteFile(file.location()));
            throw e;
        }
        if (replaced.isEmpty()) {
            return Compacted.NONE;
        }
        Set<String> gone = new HashSet<>();
        replaced.forEach(file -> gone.add(file.location()));
        List<DeleteFile> obsolete = deletes.values().stream().filter(delete -> gone.containsAll(delete.files()))
                .map(Applied::delete).toList();
        RewriteFiles rewrite = table.newRewrite().validateFromSnapshot(start.snapshotId())
                .dataSequenceNumber(start.sequenceNumber());
        replaced.forEach(rewrite::deleteFile);
        obsolete.forEach(rewrite::deleteFile);
        written.forEach(rewrite::addFile);
        try {
            rewrite.commit();
        } catch (RuntimeException e) {
            written.forEach(file -> table.io().deleteFile(file.location()));
            throw e;
        }
        int left = deletes.size() - obsolete.size();
        if (left > 0) {
            notes.add(left + " delete file(s) kept: they apply to files not compacted");
        }
        return new Compacted(replaced.size(), written.size(),
                replaced.stream().mapToLong(DataFile::fileSizeInBytes).sum(), applied.size(), obsolete.size(),
                rowsDeleted);
    }

    /** A data file to compact, its footer, and the position deletes that apply to it. */
    private record Footed(DataFile file, ParquetMetadata footer, List<DeleteFile> deletes) {
    }

    /** A delete file and the locations of the data files it applies to. */
    private record Applied(DeleteFile delete, Set<String> files) {
    }

    /** A compacted file (none when every row was deleted) and the rows its deletes left out. */
    private record Merged(Optional<DataFile> file, long rowsDeleted) {
    }

    private static IllegalStateException equalityDeletes(String name, DeleteFile delete, DataFile file) {
        return new IllegalStateException("Table " + name + " has the equality delete file "
                + delete.location() + " (it applies to " + file.location() + "): maintain applies position deletes"
                + " only, and changed nothing. Rewrite the table's files with an engine that applies equality deletes"
                + " (Spark: CALL <catalog>.system.rewrite_data_files(table => '" + name
                + "', options => map('delete-file-threshold', '1'))), or set pipeline.table.maintenance.compact=false"
                + " to only expire snapshots and remove orphan files");
    }

    /** The files in their order, cut into runs of at most the target size. */
    private List<List<Footed>> bins(List<Footed> files) {
        List<List<Footed>> bins = new ArrayList<>();
        List<Footed> bin = new ArrayList<>();
        long size = 0;
        for (Footed file : files) {
            if (!bin.isEmpty() && size + file.file().fileSizeInBytes() > settings.targetFileSize()) {
                bins.add(bin);
                bin = new ArrayList<>();
                size = 0;
            }
            bin.add(file);
            size += file.file().fileSizeInBytes();
        }
        if (!bin.isEmpty()) {
            bins.add(bin);
        }
        return bins;
    }

    /**
     * One new data file of {@code files}' row groups, copied as they are but for the rows deleted by position, and
     * described from its footer; none when every row was deleted.
     */
    private Merged merge(Table table, List<Footed> files, PositionDeletes positionDeletes) {
        String location = table.locationProvider().newDataLocation("compacted-" + UUID.randomUUID() + ".parquet");
        Path target = localPath(location);
        MessageType schema = files.get(0).footer().getFileMetaData().getSchema();
        try {
            Files.createDirectories(target.getParent());
            long rowGroupSize = PropertyUtil.propertyAsLong(table.properties(),
                    TableProperties.PARQUET_ROW_GROUP_SIZE_BYTES, TableProperties.PARQUET_ROW_GROUP_SIZE_BYTES_DEFAULT);
            ParquetFileWriter writer = new ParquetFileWriter(new LocalOutputFile(target), schema,
                    ParquetFileWriter.Mode.CREATE, rowGroupSize, 0);
            writer.start();
            long rows = 0;
            long deleted = 0;
            for (Footed file : files) {
                LocalInputFile input = new LocalInputFile(localPath(file.file().location()));
                if (file.deletes().isEmpty()) {
                    // the row groups the footer read when planning lists, copied as they are: no second footer read
                    try (SeekableInputStream in = input.newStream()) {
                        writer.appendRowGroups(in, file.footer().getBlocks(), false);
                    }
                    rows += file.file().recordCount();
                } else {
                    long kept = ParquetCopy.appendWithoutRows(input, writer,
                            PositionDeletes.ascending(positionDeletes.of(file.file().location(), file.deletes())));
                    rows += kept;
                    deleted += file.file().recordCount() - kept;
                }
            }
            writer.end(files.get(0).footer().getFileMetaData().getKeyValueMetaData());
            if (rows == 0) {
                Files.delete(target);
                return new Merged(Optional.empty(), deleted);
            }
            ParquetMetadata footer = writer.getFooter();
            return new Merged(Optional.of(DataFiles.builder(table.spec())
                    .withPath(location)
                    .withFormat(FileFormat.PARQUET)
                    .withFileSizeInBytes(Files.size(target))
                    .withMetrics(ParquetUtil.footerMetrics(footer, Stream.empty(), MetricsConfig.forTable(table)))
                    .withSplitOffsets(ParquetUtil.getSplitOffsets(footer))
                    .build()), deleted);
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(target);
            } catch (IOException ignored) {
                // the failure to merge is what is thrown; a file left here is an orphan the next maintenance removes
            }
            throw e instanceof IOException io ? new UncheckedIOException("Cannot compact " + table.name() + " into "
                    + location + ": " + io.getMessage(), io) : (RuntimeException) e;
        }
    }

    /**
     * Expires the snapshots older than the setting beyond the newest ones kept, then deletes the files only they
     * referenced: those of the expired snapshots that no snapshot kept references, and their statistics files.
     * Iceberg's own clean-up of an expiry is incremental on a table of one branch, and that one leaves the delete files
     * a compaction removed (apache/iceberg#12819); its reachable clean-up, which finds them, is not public: so the
     * files are found here.
     */
    private Expired expire(Table table) {
        if (table.currentSnapshot() == null) {
            return new Expired(0, 0);
        }
        List<Snapshot> before = new ArrayList<>();
        table.snapshots().forEach(before::add);
        Set<String> statistics = statisticsFiles(table);
        table.expireSnapshots()
                .expireOlderThan(clock.millis() - settings.expireSnapshotsAfter().toMillis())
                .retainLast(settings.keepSnapshots())
                .cleanExpiredFiles(false)
                .commit();
        table.refresh();
        Set<Long> kept = new HashSet<>();
        table.snapshots().forEach(snapshot -> kept.add(snapshot.snapshotId()));
        List<Snapshot> expired = before.stream().filter(snapshot -> !kept.contains(snapshot.snapshotId())).toList();
        if (expired.isEmpty()) {
            return new Expired(0, 0);
        }
        Map<String, String> unreferenced = ReferencedFiles.ofSnapshots(table, expired);
        unreferenced.keySet().removeAll(ReferencedFiles.ofSnapshots(table, table.snapshots()).keySet());
        statistics.removeAll(statisticsFiles(table));
        int deleted = 0;
        for (String location : Stream.concat(unreferenced.values().stream(), statistics.stream()).toList()) {
            if (Files.exists(localPath(location), LinkOption.NOFOLLOW_LINKS)) {
                table.io().deleteFile(location);
                deleted++;
            }
        }
        return new Expired(expired.size(), deleted);
    }

    /** The statistics files the table's metadata lists (those of an expired snapshot leave the list with it). */
    private static Set<String> statisticsFiles(Table table) {
        Set<String> files = new HashSet<>();
        table.statisticsFiles().forEach(file -> files.add(file.path()));
        table.partitionStatisticsFiles().forEach(file -> files.add(file.path()));
        return files;
    }

    /**
     * Deletes the files of the table's folder that it does not reference and that are older than
     * {@code orphanFilesAfter}; a checksum file ({@code .x.crc}) goes with the file it checks.
     */
    private Removed removeOrphans(Table table, Path root, List<String> notes) {
        if (root == null) {
            notes.add("orphan files not looked for: " + table.location() + " is not a folder of its own on this machine");
            return new Removed(0, 0);
        }
        ReferencedFiles referenced = ReferencedFiles.of(table);
        Instant cutoff = clock.instant().minus(settings.orphanFilesAfter());
        int removed = 0;
        long removedBytes = 0;
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(file -> Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list the files of " + table.name() + " in " + root, e);
        }
        for (Path file : files) {
            if (!file.normalize().startsWith(root) || referenced.contains(checked(file).toString())) {
                continue;
            }
            try {
                if (Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS).toInstant().isAfter(cutoff)) {
                    continue;
                }
                long bytes = Files.size(file);
                if (Files.deleteIfExists(file)) {
                    removed++;
                    removedBytes += bytes;
                    LOG.debug("Removed {}: no snapshot of {} references it", file, table.name());
                }
            } catch (IOException e) {
                notes.add("cannot remove " + file + ": " + e.getMessage());
            }
        }
        return new Removed(removed, removedBytes);
    }

    /** The file a checksum file {@code .x.crc} checks, or the file itself. */
    private static Path checked(Path file) {
        String name = file.getFileName().toString();
        if (name.startsWith(".") && name.endsWith(".crc") && name.length() > ".crc".length() + 1) {
            return file.resolveSibling(name.substring(1, name.length() - ".crc".length()));
        }
        return file;
    }

    /**
     * The table's folder on this machine, when it is one of its own: the last part of its location is the table's
     * name, as Hadoop and JDBC catalogs lay tables out. Null otherwise: orphan files are then not looked for, since
     * the folder could hold anything.
     */
    private static Path localFolder(Table table) {
        String location = table.location();
        if (!location.startsWith("file:") && !location.startsWith("/")) {
            return null;
        }
        Path folder = localPath(location);
        String name = table.name().substring(table.name().lastIndexOf('.') + 1);
        return folder.getFileName() != null && folder.getFileName().toString().equals(name) ? folder : null;
    }

    private static Path localPath(String location) {
        if (location.startsWith("file:")) {
            return Path.of(URI.create(location)).normalize();
        }
        if (location.startsWith("/")) {
            return Path.of(location).normalize();
        }
        throw new IllegalStateException(location + " is not on this machine: maintain works on local warehouses");
    }

    private static ParquetMetadata footer(Path file) {
        try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file), PLAIN)) {
            return reader.getFooter();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the Parquet footer of " + file, e);
        }
    }
}
