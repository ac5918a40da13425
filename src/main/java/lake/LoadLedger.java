package lake;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.Transaction;
import org.apache.iceberg.data.GenericAppenderFactory;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.FileAppender;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.util.SnapshotUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The load ledger: an Iceberg table beside the data table ({@code <table>_loads}, in the same namespace and catalog)
 * with one row per commit that loaded an input (and per commit of anyone's that replaced every row), copied from the
 * snapshot summaries ({@link CommitIdentity}). Snapshots expire (S3 Tables after 120 hours, {@code maintain} as set)
 * and compaction adds snapshots of its own; the ledger's rows stay, so an input is known to be in the table for as
 * long as its rows are. Users query it like any table (Athena, DuckDB, Spark) to audit their loads.
 *
 * <p>A commit of the data table and its ledger row cannot be one atomic commit (two tables). So the ledger is
 * written after the data commit from what the snapshots still say ({@link #record}: every commit of the table's
 * history that the ledger does not hold yet, the one just made among them), and a lookup ({@link #find}) reads both
 * the ledger and the snapshots: a process killed in between loses nothing, and the next commit, the next start or
 * {@code maintain} writes the missing rows. The ledger's property {@value #RECORDED_THROUGH} says up to which commit
 * of which table the ledger is complete, so that recording reads only the rows after it.
 */
public final class LoadLedger {

    /** The ledger table's property: {@code <data table UUID> <sequence number> <commit time>} of its newest row. */
    static final String RECORDED_THROUGH = "pipeline.ledger.recorded-through";

    /** The ledger's columns; every one optional, so that a Spark DataFrame writes them as they are. */
    static final Schema SCHEMA = new Schema(
            Types.NestedField.optional(1, "table_uuid", Types.StringType.get(), "the data table's UUID"),
            Types.NestedField.optional(2, "snapshot_id", Types.LongType.get(), "the snapshot the commit made"),
            Types.NestedField.optional(3, "sequence_number", Types.LongType.get(), "the snapshot's sequence number"),
            Types.NestedField.optional(4, "committed_at", Types.TimestampType.withZone(), "when it was committed"),
            Types.NestedField.optional(5, "operation", Types.StringType.get(),
                    "append, overwrite or merge; another writer's Iceberg operation"),
            Types.NestedField.optional(6, "replaces_rows", Types.BooleanType.get(),
                    "the commit replaced every row: the loads before it are not in the table"),
            Types.NestedField.optional(7, "input_sha256", Types.StringType.get(), "the SHA-256 of the input CSV"),
            Types.NestedField.optional(8, "input_bytes", Types.LongType.get(), "the input's size"),
            Types.NestedField.optional(9, "run_id", Types.StringType.get(), "the run that loaded it"),
            Types.NestedField.optional(10, "trigger", Types.StringType.get(), "what started the run"),
            Types.NestedField.optional(11, "source", Types.StringType.get(), "where the input came from"),
            Types.NestedField.optional(12, "rows_added", Types.LongType.get(), "the rows the commit added"),
            Types.NestedField.optional(13, "recorded_at", Types.TimestampType.withZone(),
                    "when the row was written: later than committed_at after a crash"));

    private static final Logger LOG = LoggerFactory.getLogger(LoadLedger.class);

    private final IcebergTables tables;

    /** The ledger of the table of {@code tables}, through its open catalog. */
    LoadLedger(IcebergTables tables) {
        this.tables = tables;
    }

    /** Whether {@code table} has every column of a load ledger (same names and types). */
    static boolean hasLedgerColumns(Table table) {
        return SCHEMA.columns().stream().allMatch(column -> {
            Types.NestedField found = table.schema().findField(column.name());
            return found != null && found.type().equals(column.type());
        });
    }

    /** The ledger's qualified name, {@code data.products_loads}. */
    String name() {
        return tables.ledgerIdentifier().toString();
    }

    /**
     * The load of the input of SHA-256 {@code inputSha256} whose rows {@code data} holds now: its newest load, in the
     * ledger or in a snapshot still there, unless a commit after it replaced every row. The load names the ledger
     * only when the ledger has its row (a killed process may have committed it and written no row).
     */
    Optional<CommitIdentity.PriorLoad> find(Table data, String inputSha256) {
        if (inputSha256 == null || data.currentSnapshot() == null) {
            return Optional.empty();
        }
        List<LoadRecord> history = history(data);
        Optional<Table> ledger = tables.findLedger();
        List<LoadRecord> recorded = ledger.map(table -> read(table, Expressions.and(ofTable(data),
                Expressions.equal("input_sha256", inputSha256)))).orElse(List.of());
        List<LoadRecord> loads = new ArrayList<>(recorded);
        history.stream().filter(record -> inputSha256.equals(record.inputSha256())).forEach(loads::add);
        Set<Long> inLedger = new HashSet<>();
        recorded.forEach(record -> inLedger.add(record.snapshotId()));
        return newestStillInTable(loads, history, ledger)
                .map(record -> record.asPriorLoad(inLedger.contains(record.snapshotId()) ? name() : null));
    }

    /**
     * Whether {@code data} may hold an input of {@code inputBytes} bytes, as {@link #find} would tell: a load of an
     * input of that size, or of one whose size was not recorded, still in the table. When it may not, no input of that
     * size is in the table, whatever its SHA-256.
     */
    boolean mayHold(Table data, long inputBytes) {
        if (data.currentSnapshot() == null) {
            return false;
        }
        List<LoadRecord> history = history(data);
        Optional<Table> ledger = tables.findLedger();
        List<LoadRecord> loads = new ArrayList<>(history.stream().filter(LoadRecord::isLoad)
                .filter(record -> record.inputBytes() == null || record.inputBytes() == inputBytes).toList());
        ledger.ifPresent(table -> loads.addAll(read(table, Expressions.and(ofTable(data),
                Expressions.notNull("input_sha256"), Expressions.or(Expressions.isNull("input_bytes"),
                        Expressions.equal("input_bytes", inputBytes))))));
        return newestStillInTable(loads, history, ledger).isPresent();
    }

    /**
     * The newest of {@code loads}, if no commit after it replaced every row: then every older one is gone too. The
     * ledger is read only for replacing commits newer than it.
     */
    private Optional<LoadRecord> newestStillInTable(List<LoadRecord> loads, List<LoadRecord> history,
                                                    Optional<Table> ledger) {
        Optional<LoadRecord> newest = loads.stream().max(LoadRecord.ORDER);
        if (newest.isEmpty()) {
            return newest;
        }
        LoadRecord load = newest.get();
        boolean replacedSince = history.stream().anyMatch(record -> record.replacesRows() && record.after(load))
                || ledger.map(table -> read(table, Expressions.and(Expressions.equal("table_uuid", load.tableUuid()),
                        Expressions.equal("replaces_rows", true),
                        Expressions.greaterThanOrEqual("sequence_number", load.sequenceNumber())))
                        .stream().anyMatch(record -> record.after(load))).orElse(false);
        return replacedSince ? Optional.empty() : newest;
    }

    /**
     * Writes to the ledger every commit of {@code data}'s history (its current snapshot and the ancestors still there)
     * that the ledger does not hold yet, the ledger made first if missing, in one commit of the ledger; returns what
     * it wrote. Called after each commit of an input, at the start after a killed load, and by {@code maintain} before
     * it expires snapshots.
     */
    List<LoadRecord> record(Table data) {
        if (data.currentSnapshot() == null) {
            return List.of();
        }
        Table ledger = tables.findLedger().orElseGet(this::create);
        String uuid = data.uuid().toString();
        Optional<LoadRecord> through = recordedThrough(ledger, uuid);
        List<LoadRecord> newer = history(data).stream()
                .filter(record -> through.map(record::after).orElse(true)).toList();
        if (newer.isEmpty()) {
            return List.of();
        }
        Expression held = through.map(last -> Expressions.and(ofTable(data),
                Expressions.greaterThanOrEqual("sequence_number", last.sequenceNumber()))).orElse(ofTable(data));
        Set<Long> recorded = new HashSet<>();
        read(ledger, held).forEach(record -> recorded.add(record.snapshotId()));
        List<LoadRecord> missing = newer.stream().filter(record -> !recorded.contains(record.snapshotId()))
                .sorted(LoadRecord.ORDER).toList();
        LoadRecord newest = newer.stream().max(LoadRecord.ORDER).orElseThrow();
        Transaction transaction = ledger.newTransaction();
        if (!missing.isEmpty()) {
            transaction.newAppend().appendFile(write(ledger, missing)).commit();
        }
        transaction.updateProperties().set(RECORDED_THROUGH, uuid + " " + newest.sequenceNumber() + " "
                + newest.committedAt()).commit();
        transaction.commitTransaction();
        if (!missing.isEmpty()) {
            LOG.info("Load ledger {}: recorded {} commit(s) of {}: snapshot(s) {}", name(), missing.size(),
                    tables.identifier(), missing.stream().map(LoadRecord::snapshotId).toList());
        }
        return missing;
    }

    /** Every row of the ledger about {@code data}, oldest first (for {@code maintain}'s report and the tests). */
    List<LoadRecord> entries(Table data) {
        return tables.findLedger().map(ledger -> read(ledger, ofTable(data)).stream()
                .sorted(LoadRecord.ORDER).toList()).orElse(List.of());
    }

    /** What the snapshots of {@code data} still there say: its current snapshot and its ancestors, newest first. */
    private static List<LoadRecord> history(Table data) {
        List<LoadRecord> records = new ArrayList<>();
        for (Snapshot snapshot : SnapshotUtil.currentAncestors(data)) {
            CommitIdentity.recordOf(data, snapshot).ifPresent(records::add);
        }
        return records;
    }

    private static Expression ofTable(Table data) {
        return Expressions.equal("table_uuid", data.uuid().toString());
    }

    /** The ledger's newest row about table {@code uuid}, as its property says; empty when it says nothing of it. */
    private static Optional<LoadRecord> recordedThrough(Table ledger, String uuid) {
        String[] value = ledger.properties().getOrDefault(RECORDED_THROUGH, "").split(" ");
        if (value.length != 3 || !value[0].equals(uuid)) {
            return Optional.empty();
        }
        try {
            return Optional.of(new LoadRecord(uuid, -1, Long.parseLong(value[1]), Long.parseLong(value[2]), null,
                    false, null, null, null, null, null, null));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private Table create() {
        try {
            Table ledger = tables.catalog().buildTable(tables.ledgerIdentifier(), SCHEMA)
                    .withProperty(TableProperties.FORMAT_VERSION, "2").create();
            LOG.info("Created the load ledger {}: one row per load of {}", name(), tables.identifier());
            return ledger;
        } catch (AlreadyExistsException e) {
            return tables.findLedger().orElseThrow(() -> e);
        }
    }

    private static List<LoadRecord> read(Table ledger, Expression filter) {
        List<LoadRecord> records = new ArrayList<>();
        try (CloseableIterable<Record> rows = IcebergGenerics.read(ledger).where(filter).build()) {
            for (Record row : rows) {
                records.add(new LoadRecord(
                        (String) row.getField("table_uuid"),
                        longOr((Long) row.getField("snapshot_id"), -1),
                        longOr((Long) row.getField("sequence_number"), 0),
                        row.getField("committed_at") instanceof OffsetDateTime at ? at.toInstant().toEpochMilli() : 0,
                        (String) row.getField("operation"),
                        Boolean.TRUE.equals(row.getField("replaces_rows")),
                        (String) row.getField("input_sha256"),
                        (Long) row.getField("input_bytes"),
                        (String) row.getField("run_id"),
                        (String) row.getField("trigger"),
                        (String) row.getField("source"),
                        (Long) row.getField("rows_added")));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the load ledger " + ledger.name(), e);
        }
        return records;
    }

    private static long longOr(Long value, long otherwise) {
        return value == null ? otherwise : value;
    }

    /** One data file of {@code records}, written through the ledger's {@code FileIO} into its data folder. */
    private static DataFile write(Table ledger, List<LoadRecord> records) {
        String location = ledger.locationProvider().newDataLocation("loads-" + UUID.randomUUID() + ".parquet");
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        FileAppender<Record> appender = new GenericAppenderFactory(ledger.schema(), ledger.spec())
                .newAppender(ledger.io().newOutputFile(location), FileFormat.PARQUET);
        try (appender) {
            for (LoadRecord record : records) {
                GenericRecord row = GenericRecord.create(ledger.schema());
                row.setField("table_uuid", record.tableUuid());
                row.setField("snapshot_id", record.snapshotId());
                row.setField("sequence_number", record.sequenceNumber());
                row.setField("committed_at", OffsetDateTime.ofInstant(Instant.ofEpochMilli(record.committedAt()),
                        ZoneOffset.UTC));
                row.setField("operation", record.operation());
                row.setField("replaces_rows", record.replacesRows());
                row.setField("input_sha256", record.inputSha256());
                row.setField("input_bytes", record.inputBytes());
                row.setField("run_id", record.runId());
                row.setField("trigger", record.trigger());
                row.setField("source", record.source());
                row.setField("rows_added", record.rowsAdded());
                row.setField("recorded_at", now);
                appender.add(row);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the load ledger's file " + location, e);
        }
        return DataFiles.builder(ledger.spec())
                .withPath(location)
                .withFormat(FileFormat.PARQUET)
                .withFileSizeInBytes(appender.length())
                .withMetrics(appender.metrics())
                .build();
    }
}
