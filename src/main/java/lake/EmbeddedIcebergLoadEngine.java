package lake;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.UUID;
import java.util.stream.Stream;

import core.BadInputException;
import core.Printable;
import core.RunSchema;
import config.TableConfig;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.MetricsConfig;
import org.apache.iceberg.RowLevelOperationMode;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotUpdate;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.Transaction;
import org.apache.iceberg.UpdateSchema;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.CommitStateUnknownException;
import org.apache.iceberg.exceptions.NoSuchNamespaceException;
import org.apache.iceberg.exceptions.ValidationException;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.io.PositionOutputStream;
import org.apache.iceberg.parquet.ParquetUtil;
import org.apache.iceberg.types.Types;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.schema.MessageType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import s3.S3Location;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Loads with the Iceberg Java library in this JVM, writing nothing twice: the convert stage wrote the run's Parquet
 * with the table's field ids ({@link #fieldIds}), so the load copies that very file into the table location through
 * the table's {@code FileIO} (or links it there, on a local warehouse), takes its metrics from the Parquet footer, and
 * makes one commit that replaces (overwrite) or extends (append) the table. The commit records the input's identity ({@link CommitIdentity}); an
 * input the table already holds is not loaded again unless {@code pipeline.table.reloadSameInput} is set. Nothing is
 * committed until the data file is complete, so a failure leaves the previous snapshot current.
 */
public final class EmbeddedIcebergLoadEngine extends ServiceSupport implements LoadEngine {

    /** Snapshot summary property naming the pipeline run that committed the snapshot. */
    public static final String RUN_ID_PROPERTY = CommitIdentity.RUN_ID;

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedIcebergLoadEngine.class);
    /** How many times a merge plans and commits before a stream of commits made meanwhile makes it give up. */
    static final int MERGE_ATTEMPTS = 4;

    private final TableConfig config;
    private final Supplier<S3Client> s3;
    private final PendingLoads pending;
    /** Runs between a merge's plan and its commit: where a test commits as another writer would meanwhile. */
    volatile Runnable beforeMergeCommit = () -> { };
    /** {@link #prepareAhead}'s work, which the run's {@link #fieldIds} waits for. */
    private volatile CompletableFuture<Void> ahead = CompletableFuture.completedFuture(null);
    /** The field ids of the missing table, as {@link #prepareAhead} read them. */
    private volatile NewTableIds aheadIds;

    public EmbeddedIcebergLoadEngine(TableConfig config, S3Client s3) {
        this(config, () -> s3, null);
    }

    /**
     * {@code pendingDir}: where a load notes the data file it is adding until its commit is done, so that a process
     * killed in between leaves a note for {@link #recoverPendingLoads} instead of an unreferenced file. {@code s3}:
     * the client, asked for when a load needs it (a run whose Parquet is no longer on this disk).
     */
    public EmbeddedIcebergLoadEngine(TableConfig config, Supplier<S3Client> s3, Path pendingDir) {
        this.config = config;
        this.s3 = s3;
        this.pending = pendingDir == null ? null : new PendingLoads(pendingDir);
    }

    /** Starting: the data files that a killed load copied and never committed are removed. */
    @Override
    protected void doStart() {
        recoverPendingLoads();
    }

    /**
     * After a crash: each data file a killed load copied into the table and never committed is deleted; one the
     * commit did reference (the process died just after it) stays, and its commit is written to the load ledger if
     * the process died before it could. Logs one line when there was anything to do.
     */
    void recoverPendingLoads() {
        if (pending == null || pending.isEmpty()) {
            return;
        }
        try (IcebergTables tables = IcebergTables.open(config)) {
            Optional<Table> table = tables.find();
            List<String> removed = new ArrayList<>();
            boolean anyCommitted = false;
            for (PendingLoads.Entry entry : pending.entries()) {
                boolean committed = table.isPresent() && (committedBy(table.get(), entry.runId())
                        || ReferencedFiles.of(table.get()).contains(entry.location()));
                anyCommitted |= committed;
                if (!committed && table.isPresent()) {
                    if (isDataFileOfRun(table.get(), entry.runId(), entry.location())) {
                        deleteQuietly(table.get(), entry.location());
                        removed.add(entry.location());
                    } else {
                        // the note is in the data dir, which anyone may have written to: it deletes nothing else
                        LOG.warn("Ignored the note of run {} in {}: it names {}, which is no data file a load of {}"
                                 + " writes; nothing was deleted", entry.runId(), pending.dir(),
                                 Printable.escape(entry.location()), config.qualifiedName());
                    }
                }
                pending.done(entry.runId());
            }
            if (!removed.isEmpty()) {
                LOG.info("Removed {} data file(s) that a killed load copied into {} but never committed: {}",
                        removed.size(), config.qualifiedName(), removed);
            }
            if (anyCommitted) {
                recordQuietly(new LoadLedger(tables), table.get());
            }
        }
    }

    /**
     * Writes what the ledger lacks of {@code data}'s commits; a failure is logged, not thrown: the commit is done, and
     * the next commit, start or {@code maintain} writes the row, from the snapshot, which a lookup reads meanwhile.
     */
    private static boolean recordQuietly(LoadLedger ledger, Table data) {
        try {
            ledger.record(data);
            return true;
        } catch (RuntimeException e) {
            LOG.warn("Cannot write to the load ledger {} ({}); the load is committed, and its row is written at the"
                     + " next load, start or maintain", ledger.name(), e.toString());
            return false;
        }
    }

    private void donePending(String runId) {
        if (pending != null) {
            pending.done(runId);
        }
    }

    private static boolean committedBy(Table table, String runId) {
        for (Snapshot snapshot : table.snapshots()) {
            if (runId.equals(snapshot.summary().get(CommitIdentity.RUN_ID))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Does {@link #fieldIds} ahead of the run: opens the catalog, looks the table up and, when it is missing, reads the
     * field ids a new table of the schema gets from an uncommitted create (nothing is created: the run's commit
     * creates the table); for a schema still to be inferred ({@code null}), only the first two. Whatever fails here
     * fails again in the run, reported. Every look at the table ({@link #fieldIds}, {@link #fit}, {@link #findLoad},
     * {@link #mayHold}) waits for this to end.
     */
    @Override
    public void prepareAhead(org.apache.avro.Schema schema) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        ahead = done;
        Thread thread = new Thread(() -> {
            try {
                if (schema == null) {
                    // to be inferred from the input: the catalog is opened and the table looked up
                    try (IcebergTables tables = IcebergTables.open(config)) {
                        tables.find();
                    }
                    return;
                }
                fieldIdsNow(schema);
            } catch (RuntimeException e) {
                LOG.debug("Preparing {} ahead of the run failed: {}", config.qualifiedName(), e.toString());
            } finally {
                done.complete(null);
            }
        }, "table-ahead");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public Optional<CommitIdentity.PriorLoad> findLoad(String inputSha256) {
        if (config.reloadSameInput()) {
            return Optional.empty();
        }
        ahead.join();
        try (IcebergTables tables = IcebergTables.open(config)) {
            return tables.find().flatMap(table -> priorLoad(new LoadLedger(tables), table, inputSha256));
        }
    }

    /**
     * The load of the input already in {@code data}; one that only its snapshot tells of (its process was killed
     * before the ledger's write) is written to the ledger now.
     */
    private static Optional<CommitIdentity.PriorLoad> priorLoad(LoadLedger ledger, Table data, String inputSha256) {
        Optional<CommitIdentity.PriorLoad> prior = ledger.find(data, inputSha256);
        if (prior.isPresent() && prior.get().ledger() == null && recordQuietly(ledger, data)) {
            return Optional.of(new CommitIdentity.PriorLoad(prior.get().snapshotId(), prior.get().runId(),
                    ledger.name()));
        }
        return prior;
    }

    @Override
    public boolean mayHold(long inputBytes) {
        if (config.reloadSameInput()) {
            return false;
        }
        ahead.join();
        try (IcebergTables tables = IcebergTables.open(config)) {
            return tables.find().map(table -> new LoadLedger(tables).mayHold(table, inputBytes)).orElse(false);
        }
    }

    /**
     * The field id each field of {@code avro} has in the table, or will have once the load added it as a new column
     * (ids after the table's last one, in schema order). For a missing table, the ids of an uncommitted create of it:
     * only its catalog knows the ids it gives (a REST catalog such as S3 Tables' may number otherwise); the table
     * itself is created by the load's commit, so that a run that fails before it leaves no table.
     */
    @Override
    public int[] fieldIds(org.apache.avro.Schema avro) {
        ahead.join();
        return fieldIdsNow(avro);
    }

    /**
     * A given schema: the table's field ids ({@link #fieldIds}). An inferred one: fitted to the table when it exists
     * ({@link TableFit}: the table's schema wins); when it does not, the ids a new table of it would have.
     */
    @Override
    public SchemaFit fit(RunSchema schema) {
        if (!schema.isInferred()) {
            return new SchemaFit(schema, fieldIds(schema.avro()));
        }
        ahead.join();
        try (IcebergTables tables = IcebergTables.open(config)) {
            Optional<Table> table = tables.find();
            if (table.isPresent()) {
                RunSchema fitted = TableFit.fit(schema, table.get().schema(), config);
                return new SchemaFit(fitted, ids(table.get().schema(), lastColumnId(table.get()), fitted.avro()));
            }
            return new SchemaFit(schema, newTableIds(tables, schema.avro()));
        }
    }

    private int[] fieldIdsNow(org.apache.avro.Schema avro) {
        NewTableIds cached = aheadIds;
        try (IcebergTables tables = IcebergTables.open(config)) {
            Optional<Table> table = tables.find();
            if (table.isPresent()) {
                return ids(table.get().schema(), lastColumnId(table.get()), avro);
            }
            if (cached != null && cached.avro().equals(avro)) {
                return cached.ids();
            }
            int[] ids = newTableIds(tables, avro);
            aheadIds = new NewTableIds(avro, ids);
            return ids;
        }
    }

    /**
     * The field ids a new table of {@code avro} gets: its catalog's, read from a create that is never committed. A
     * REST catalog numbers the columns itself (MiniStack's from 0) and stages a create only in a namespace that exists:
     * a missing namespace is created for the staging, and dropped again. A catalog may refuse the staging in a missing
     * namespace otherwise than with {@link NoSuchNamespaceException} (S3 Tables answers 403 to a principal that may
     * not create it): the namespace's creation then says what was refused, naming the table bucket.
     */
    private static int[] newTableIds(IcebergTables tables, org.apache.avro.Schema avro) {
        Schema schema = AvroToIceberg.convert(avro);
        Table staged;
        try {
            staged = newTable(tables, schema).createTransaction().table();
        } catch (RuntimeException e) {
            boolean created = tables.createNamespaceIfMissing();
            if (!created && !(e instanceof NoSuchNamespaceException)) {
                throw e;
            }
            try {
                staged = newTable(tables, schema).createTransaction().table();
            } finally {
                if (created) {
                    tables.dropNamespaceIfEmpty();
                }
            }
        }
        return ids(staged.schema(), lastColumnId(staged), avro);
    }

    /** The ids a missing table's create gave, for the schema they were asked for. */
    private record NewTableIds(org.apache.avro.Schema avro, int[] ids) {
    }

    /** Each field's id in {@code schema}, or the one it gets as a new column (after {@code last}, in order). */
    private static int[] ids(Schema schema, int last, org.apache.avro.Schema avro) {
        int next = last;
        List<org.apache.avro.Schema.Field> fields = avro.getFields();
        int[] ids = new int[fields.size()];
        for (org.apache.avro.Schema.Field field : fields) {
            Types.NestedField column = schema.findField(field.name());
            ids[field.pos()] = column != null ? column.fieldId() : ++next;
        }
        return ids;
    }

    /**
     * Every table this engine makes: format version 2 (Athena reads no version 3), the schema's columns, and merges
     * that delete rows by position instead of rewriting files ({@code write.merge.mode=merge-on-read}).
     */
    private static Catalog.TableBuilder newTable(IcebergTables tables, Schema schema) {
        return tables.catalog().buildTable(tables.identifier(), schema)
                .withProperty(TableProperties.FORMAT_VERSION, "2")
                .withProperty(TableProperties.MERGE_MODE, RowLevelOperationMode.MERGE_ON_READ.modeName());
    }

    @Override
    public LoadResult load(LoadRequest request) throws Exception {
        S3Location source = S3Location.object(request.parquetUri());
        Schema input = AvroToIceberg.convert(request.schema());
        Path local = request.parquetFile();
        boolean downloaded = local == null;
        if (downloaded) {
            local = S3Downloads.toTempFile(s3.get(), request.parquetUri());
        }
        try (IcebergTables tables = IcebergTables.open(config)) {
            Footer footer = checkFile(local, source, input, request.rowsWritten());
            if (footer.rows() == 0) {
                return LoadResult.skipped(source + " holds no rows");
            }
            Optional<Table> existing = tables.find();
            LoadLedger ledger = new LoadLedger(tables);
            if (existing.isPresent() && !config.reloadSameInput()) {
                Optional<CommitIdentity.PriorLoad> prior = priorLoad(ledger, existing.get(), request.inputSha256());
                if (prior.isPresent()) {
                    return LoadResult.skipped(prior.get());
                }
            }
            long previousRows = existing.map(t -> LiveRows.of(t.currentSnapshot())).orElse(0L);
            if (config.mode() == TableConfig.Mode.MERGE) {
                // as in the other modes, a first merge that does not commit leaves no table and no namespace it made
                boolean createsNamespace = existing.isEmpty() && tables.createNamespaceIfMissing();
                try {
                    return merge(tables, ledger, existing, request, local, footer, source, input, previousRows);
                } catch (CommitStateUnknownException e) {
                    throw e;
                } catch (IOException | RuntimeException e) {
                    if (existing.isEmpty() && tables.find().isEmpty()) {
                        removeCreatedQuietly(tables, createsNamespace, input, e);
                    }
                    throw e;
                }
            }
            // a new table (and its namespace) exists once the commit that adds the data file is made, not before
            boolean createsNamespace = existing.isEmpty() && tables.createNamespaceIfMissing();
            Transaction transaction;
            try {
                transaction = existing.isPresent()
                        ? existing.get().newTransaction()
                        : newTable(tables, input).createTransaction();
            } catch (RuntimeException e) {
                removeCreated(tables, createsNamespace, null);
                throw e;
            }
            Table target = transaction.table();
            DataFile dataFile;
            try {
                if (existing.isPresent()) {
                    reconcileSchema(existing.get(), input, source, transaction);
                }
                if (target.spec().isPartitioned()) {
                    throw new IllegalStateException("Table " + config.qualifiedName() + " is partitioned by "
                            + target.spec() + "; the embedded engine writes unpartitioned tables only");
                }
                checkFieldIds(target.schema(), footer.schema(), source);
                String location = target.locationProvider().newDataLocation(fileName(request.runId()));
                if (pending != null) {
                    pending.begin(request.runId(), location);
                }
                try {
                    dataFile = addDataFile(target, local, footer, location);
                    commit(transaction, target, dataFile, request);
                } catch (CommitStateUnknownException e) {
                    throw e; // the note stays: the next start looks whether the commit made it
                } catch (IOException | RuntimeException e) {
                    donePending(request.runId()); // the copy was deleted already
                    throw e;
                }
            } catch (CommitStateUnknownException e) {
                throw e;
            } catch (IOException | RuntimeException e) {
                if (existing.isEmpty()) {
                    removeCreated(tables, createsNamespace, target.location());
                }
                throw e;
            }
            long snapshotId = transaction.table().currentSnapshot().snapshotId();
            LOG.info("Loaded {} rows from {} into {} ({} mode), snapshot {}, {} rows before",
                    footer.rows(), source, config.qualifiedName(), config.mode().name().toLowerCase(), snapshotId,
                    previousRows);
            CrashPoint.afterDataCommit();
            // the note stays until the ledger has the commit: a process killed in between records it at its start
            boolean recorded = recordQuietly(ledger, tables.load());
            donePending(request.runId());
            if (config.catalog() == TableConfig.Catalog.S3TABLES) {
                // the table (and its ledger) may be new: S3 Tables maintains it as the settings say
                new S3TablesMaintenance(config).applyOnce();
            }
            return new LoadResult(config.qualifiedName(), snapshotId, dataFile.recordCount(), previousRows,
                    new LedgerEntry(ledger.name(), snapshotId, request.runId(), recorded));
        } finally {
            if (downloaded) {
                Files.deleteIfExists(local);
            }
        }
    }

    /**
     * A merge ({@code pipeline.table.mode=merge}) in one commit: the input's new rows become one data file (the
     * converted file as it is, or a copy without the rows the table must not get: replaced duplicates and deletions),
     * the table's rows of input keys go ({@link MergePlan}: by one position delete file in a row delta on a
     * merge-on-read table, by copies of their files in an overwrite on a copy-on-write one), validated against what
     * was committed since the snapshot it planned from. A commit made meanwhile that touches the same keys (another
     * writer, S3 Tables' compaction) makes the merge plan again from the new snapshot, up to {@link #MERGE_ATTEMPTS}
     * times, as AWS asks of writers to its table buckets.
     */
    private LoadResult merge(IcebergTables tables, LoadLedger ledger, Optional<Table> existing, LoadRequest request,
                             Path local, Footer footer, S3Location source, Schema input, long previousRows)
            throws IOException {
        MergeInput keys = request.merge();
        if (keys == null) {
            throw new IllegalStateException("A merge into " + config.qualifiedName() + " needs the input's keys,"
                    + " read after the convert stage; none came with run " + request.runId());
        }
        String runId = request.runId();
        DataFile newRows = null;
        for (int attempt = 1; ; attempt++) {
            Table table = attempt == 1 ? existing.orElse(null) : tables.load();
            Transaction transaction = table != null ? table.newTransaction()
                    : newTable(tables, input).createTransaction();
            if (table != null) {
                reconcileSchema(table, input, source, transaction);
            }
            Table target = transaction.table();
            if (target.spec().isPartitioned()) {
                throw new IllegalStateException("Table " + config.qualifiedName() + " is partitioned by "
                        + target.spec() + "; the embedded engine writes unpartitioned tables only");
            }
            checkFieldIds(target.schema(), footer.schema(), source);
            MergePlan plan = MergePlan.empty();
            try {
                if (newRows == null && keys.upsertRows() > 0) {
                    String location = target.locationProvider().newDataLocation(fileName(runId));
                    note(runId, location);
                    newRows = newRows(target, local, footer, location, keys);
                }
                if (table != null) {
                    plan = MergePlan.of(table, keys, () -> target.locationProvider().newDataLocation(fileName(runId)),
                            location -> note(runId, location));
                }
                beforeMergeCommit.run();
                SnapshotUpdate<?> update = plan.update(transaction, newRows, keys.range());
                CommitIdentity.summaryOf(request, TableConfig.Mode.MERGE).forEach(update::set);
                update.commit();
                transaction.commitTransaction();
            } catch (CommitStateUnknownException e) {
                throw e; // the note stays: the next start looks whether the commit made it
            } catch (ValidationException | CommitFailedException e) {
                plan.written().forEach(location -> deleteQuietly(target, location));
                if (attempt < MERGE_ATTEMPTS) {
                    LOG.warn("The merge into {} met a commit made meanwhile ({}); planning it again from the new"
                             + " snapshot (attempt {} of {})", config.qualifiedName(), e.getMessage(), attempt + 1,
                            MERGE_ATTEMPTS);
                    continue;
                }
                abandon(target, newRows, runId);
                throw new IllegalStateException("The merge into " + config.qualifiedName() + " met a commit made"
                        + " meanwhile " + MERGE_ATTEMPTS + " times and was given up; the table is unchanged: "
                        + e.getMessage(), e);
            } catch (IOException | RuntimeException e) {
                plan.written().forEach(location -> deleteQuietly(target, location));
                abandon(target, newRows, runId);
                throw e;
            }
            long snapshotId = transaction.table().currentSnapshot().snapshotId();
            LoadResult.Merged merged = plan.counts(keys);
            LOG.info("Merged {} rows from {} into {} on {}, snapshot {}: {} inserted, {} updated, {} deleted; {}",
                    keys.rows(), source, config.qualifiedName(), String.join(",", config.merge().key()), snapshotId,
                    merged.inserted(), merged.updated(), merged.deleted(), plan.describe());
            CrashPoint.afterDataCommit();
            // the note stays until the ledger has the commit, as for the other modes
            boolean recorded = recordQuietly(ledger, tables.load());
            donePending(runId);
            if (config.catalog() == TableConfig.Catalog.S3TABLES) {
                new S3TablesMaintenance(config).applyOnce();
            }
            return new LoadResult(config.qualifiedName(), snapshotId, keys.upsertRows(), previousRows, merged,
                    new LedgerEntry(ledger.name(), snapshotId, runId, recorded));
        }
    }

    /** The merge's data file of the input's new rows: the converted file as it is, or a copy without dropped rows. */
    private static DataFile newRows(Table target, Path local, Footer footer, String location, MergeInput keys)
            throws IOException {
        if (keys.droppedRows().length == 0) {
            return addDataFile(target, local, footer, location);
        }
        ParquetCopy.Written copy;
        try {
            copy = ParquetCopy.withoutRows(new LocalInputFile(local),
                    ParquetFiles.output(target.io().newOutputFile(location)), keys.droppedRows());
        } catch (IOException | RuntimeException e) {
            deleteQuietly(target, location);
            throw e;
        }
        return DataFiles.builder(target.spec())
                .withPath(location)
                .withFormat(FileFormat.PARQUET)
                .withFileSizeInBytes(copy.bytes())
                .withMetrics(ParquetUtil.footerMetrics(copy.footer(), Stream.empty(), MetricsConfig.forTable(target)))
                .withSplitOffsets(ParquetUtil.getSplitOffsets(copy.footer()))
                .build();
    }

    private void note(String runId, String location) {
        if (pending != null) {
            pending.add(runId, location);
        }
    }

    /** A merge given up: its file of new rows goes, and with it the note of the load. */
    private void abandon(Table target, DataFile newRows, String runId) {
        if (newRows != null) {
            deleteQuietly(target, newRows.location());
        }
        donePending(runId);
    }

    /**
     * A new table's create did not commit: what it left goes, so that the failed run leaves no table (a catalog keeps
     * nothing of an uncommitted create, but a local warehouse keeps the folders the data file was copied into) and
     * no namespace it created, if that is empty.
     */
    private void removeCreated(IcebergTables tables, boolean createdNamespace, String location) {
        if (location != null) {
            deleteEmptyFolders(location);
        }
        if (createdNamespace && tables.dropNamespaceIfEmpty()) {
            LOG.info("Removed the namespace {} this run created, as its table was never committed",
                    config.namespace());
        }
    }

    /** {@link #removeCreated} after a failed first merge, whose create transaction is gone with it. */
    private void removeCreatedQuietly(IcebergTables tables, boolean createdNamespace, Schema input,
                                      Exception failure) {
        try {
            removeCreated(tables, createdNamespace, newTable(tables, input).createTransaction().table().location());
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    /** The folders of a local location that hold no file any more (a remote one has no folders to leave). */
    private static void deleteEmptyFolders(String location) {
        Path folder;
        try {
            folder = location.startsWith("file:") ? Path.of(URI.create(location)) : Path.of(location);
        } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
            return;
        }
        if (!location.startsWith("file:") && !location.startsWith("/") || !Files.isDirectory(folder)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            List<Path> deepestFirst = paths.sorted(java.util.Comparator.reverseOrder()).toList();
            for (Path path : deepestFirst) {
                if (Files.isDirectory(path)) {
                    try (Stream<Path> entries = Files.list(path)) {
                        if (entries.findAny().isEmpty()) {
                            Files.delete(path);
                        }
                    }
                }
            }
        } catch (IOException e) {
            LOG.debug("Cannot remove the empty folders of {}: {}", location, e.toString());
        }
    }

    /** What the Parquet footer says, read once: the file's schema and row count, its metrics and split offsets. */
    private record Footer(ParquetMetadata metadata, long rows) {

        MessageType schema() {
            return metadata.getFileMetaData().getSchema();
        }
    }

    /** Checks the file is Parquet, has every column of the schema and the expected row count (or none). */
    private static Footer checkFile(Path local, S3Location source, Schema input, long rowsWritten) {
        Footer footer;
        // plain options: the default ones are a Hadoop configuration, which reads Hadoop's default resources again
        ParquetReadOptions options = ParquetReadOptions.builder(new PlainParquetConfiguration()).build();
        try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(local), options)) {
            footer = new Footer(reader.getFooter(), reader.getRecordCount());
        } catch (IOException | RuntimeException e) {
            throw new BadInputException(source + " is not a readable Parquet file: " + e.getMessage(), e);
        }
        MessageType fileSchema = footer.schema();
        long rows = footer.rows();
        List<String> absent = new ArrayList<>();
        for (Types.NestedField column : input.columns()) {
            if (!fileSchema.containsField(column.name())) {
                absent.add(column.name());
            }
        }
        if (!absent.isEmpty()) {
            throw new BadInputException(source + " lacks column(s) " + String.join(", ", absent)
                                        + " declared by its schema");
        }
        if (rows == 0) {
            return footer; // nothing to load, which the load says
        }
        if (rowsWritten > 0 && rows != rowsWritten) {
            throw new BadInputException(source + " holds " + rows + " rows but " + rowsWritten + " were written");
        }
        return footer;
    }

    /**
     * The file becomes a data file of the table as it is, so each of its columns must carry the id the table gives
     * that column: the convert stage wrote them from {@link #fieldIds}; another writer may have changed the table since.
     */
    private void checkFieldIds(Schema table, MessageType file, S3Location source) {
        List<String> wrong = new ArrayList<>();
        for (org.apache.parquet.schema.Type column : file.getFields()) {
            Types.NestedField expected = table.findField(column.getName());
            Integer id = column.getId() == null ? null : column.getId().intValue();
            if (expected == null || id == null || id != expected.fieldId()) {
                wrong.add(column.getName() + " (file id " + id + ", table id "
                          + (expected == null ? "none" : expected.fieldId()) + ")");
            }
        }
        if (!wrong.isEmpty()) {
            throw new IllegalStateException("The columns of " + source + " do not carry the field ids of table "
                    + config.qualifiedName() + ": " + String.join(", ", wrong)
                    + "; the table changed while the run converted its input, run it again");
        }
    }

    private void reconcileSchema(Table table, Schema input, S3Location source, Transaction transaction) {
        SchemaDifferences differences = SchemaDifferences.between(table.schema(), input);
        if (differences.none()) {
            return;
        }
        boolean evolve = config.schemaEvolution() == TableConfig.SchemaEvolution.ADD_COLUMNS;
        boolean widen = config.widenTypes();
        List<String> problems = new ArrayList<>(differences.incompatible());
        differences.wider().forEach(column -> problems.add(SchemaDifferences.describeWider(table.schema(), column)));
        differences.extra().forEach(column -> problems.add("extra column " + SchemaDifferences.describe(column)));
        boolean refused = !differences.incompatible().isEmpty() || (!differences.extra().isEmpty() && !evolve)
                          || (!differences.wider().isEmpty() && !widen);
        if (refused) {
            // a setting is advised only where it is the whole fix
            String hint = !differences.incompatible().isEmpty()
                    ? "; " + SchemaDifferences.anotherTable(config.qualifiedName())
                    : (!differences.extra().isEmpty() && !evolve
                    ? "; set pipeline.table.schemaEvolution=add-columns to add new columns" : "")
                    + (!differences.wider().isEmpty() && !widen
                    ? "; set pipeline.table.widenTypes=true to widen columns where Iceberg allows it" : "");
            throw new BadInputException("The schema of " + source + " does not match table "
                    + config.qualifiedName() + ": " + String.join("; ", problems) + hint
                    + ". The table was left unchanged");
        }
        UpdateSchema update = transaction.updateSchema();
        for (Types.NestedField column : differences.extra()) {
            update.addColumn(column.name(), column.type(), column.doc());
        }
        for (Types.NestedField column : differences.wider()) {
            Types.NestedField existing = table.schema().findField(column.name());
            if (!existing.type().equals(column.type())) {
                update.updateColumn(column.name(), column.type().asPrimitiveType());
            }
            if (existing.isRequired() && column.isOptional()) {
                update.makeColumnOptional(column.name());
            }
        }
        update.commit();
        if (!differences.extra().isEmpty()) {
            LOG.info("Adding column(s) {} to {}", differences.extra().stream().map(SchemaDifferences::describe)
                    .toList(), config.qualifiedName());
        }
        if (!differences.wider().isEmpty()) {
            LOG.info("Widening in {}: {}", config.qualifiedName(), differences.wider().stream()
                    .map(column -> SchemaDifferences.describeWider(table.schema(), column)).toList());
        }
    }

    /**
     * Copies the converted file into the table's data location, byte for byte, and describes it from its footer; the
     * copy is deleted again if it cannot be completed.
     */
    private static DataFile addDataFile(Table target, Path local, Footer footer, String location) throws IOException {
        if (!linked(local, location)) {
            OutputFile out = target.io().newOutputFile(location);
            boolean copied = false;
            try (InputStream in = Files.newInputStream(local); PositionOutputStream copy = out.createOrOverwrite()) {
                in.transferTo(copy);
                copied = true;
            } finally {
                if (!copied) {
                    deleteQuietly(target, location);
                }
            }
        }
        return DataFiles.builder(target.spec())
                .withPath(location)
                .withFormat(FileFormat.PARQUET)
                .withFileSizeInBytes(Files.size(local))
                .withMetrics(ParquetUtil.footerMetrics(footer.metadata(), Stream.empty(),
                        MetricsConfig.forTable(target)))
                .withSplitOffsets(ParquetUtil.getSplitOffsets(footer.metadata()))
                .build();
    }

    /**
     * A warehouse on this machine's file system gets the converted file as a hard link: the same bytes under a second
     * name, nothing copied. False when the location is elsewhere (S3) or the link cannot be made (another device).
     */
    private static boolean linked(Path local, String location) {
        if (!location.startsWith("file:") && !location.startsWith("/")) {
            return false;
        }
        try {
            Path target = location.startsWith("file:") ? Path.of(URI.create(location)) : Path.of(location);
            Files.createDirectories(target.getParent());
            Files.createLink(target, local);
            return true;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            LOG.debug("Copying {} to {}: no hard link ({})", local, location, e.toString());
            return false;
        }
    }

    /** The highest field id the table ever assigned: columns it adds are numbered after it. */
    private static int lastColumnId(Table table) {
        if (table instanceof HasTableOperations operations) {
            return operations.operations().current().lastColumnId();
        }
        return table.schema().highestFieldId();
    }

    private void commit(Transaction transaction, Table target, DataFile dataFile, LoadRequest request) {
        try {
            SnapshotUpdate<?> update = config.mode() == TableConfig.Mode.OVERWRITE
                    ? transaction.newOverwrite().overwriteByRowFilter(Expressions.alwaysTrue()).addFile(dataFile)
                    : transaction.newAppend().appendFile(dataFile);
            CommitIdentity.summaryOf(request, config.mode()).forEach(update::set);
            update.commit();
            transaction.commitTransaction();
        } catch (CommitStateUnknownException e) {
            throw e; // the commit may have succeeded: the data file must stay
        } catch (RuntimeException e) {
            deleteQuietly(target, dataFile.location());
            throw e;
        }
    }

    private static String fileName(String runId) {
        return fileNamePrefix(runId) + UUID.randomUUID() + ".parquet";
    }

    private static String fileNamePrefix(String runId) {
        return runId.replaceAll("[^A-Za-z0-9_.-]", "_") + "-";
    }

    /**
     * Whether {@code location} is a name {@link #fileName} gives a data file of run {@code runId}, where the table's
     * location provider puts it: the only files a note of a load in progress may have a restart delete.
     */
    static boolean isDataFileOfRun(Table table, String runId, String location) {
        String name = location.substring(location.lastIndexOf('/') + 1);
        String uuid = name.startsWith(fileNamePrefix(runId)) && name.endsWith(".parquet")
                ? name.substring(fileNamePrefix(runId).length(), name.length() - ".parquet".length()) : "";
        try {
            if (!UUID.fromString(uuid).toString().equals(uuid)) {
                return false;
            }
        } catch (IllegalArgumentException e) {
            return false;
        }
        return location.equals(table.locationProvider().newDataLocation(name));
    }

    private static void deleteQuietly(Table table, String location) {
        try {
            table.io().deleteFile(location);
        } catch (RuntimeException e) {
            LOG.warn("Cannot delete the abandoned data file {}: {}", location, e.getMessage());
        }
    }
}
