package lake;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import config.TableConfig;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.iceberg.Table;
import org.junit.jupiter.api.Test;
import support.TableRows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An input is known to be in the table for as long as its rows are: after a compaction (a {@code replace} snapshot
 * whose added records equal the total), after every snapshot but the current expired, and after a commit whose ledger
 * row was never written; and no longer once an overwrite replaced its rows.
 */
class LoadLedgerOutlivesExpiryAndCompactionTest extends LoadTestSupport {

    @Test
    void aCompactionOfEveryFileIsNoReplaceOfTheRows() throws Exception {
        TableConfig config = table(TableConfig.Mode.APPEND);
        load(config, "a", 1);
        load(config, "b", 11);
        S3TablesLikeCompaction.rewriteEveryFile(IcebergTables.load(config));
        assertEquals("replace", IcebergTables.load(config).currentSnapshot().operation());

        LoadResult again = load(config, "a", 1);

        assertEquals("already loaded in snapshot " + snapshotOf(config, "run-a") + " by run run-a (load ledger"
                     + " data.products_loads)", again.skipped());
        assertEquals(20, TableRows.read(IcebergTables.load(config)).size());
    }

    @Test
    void expiredSnapshotsAndACompactionLeaveTheLedgerToTell() throws Exception {
        TableConfig config = table(TableConfig.Mode.APPEND);
        load(config, "a", 1);
        long loadedA = snapshotOf(config, "run-a");
        load(config, "b", 11);
        load(config, "c", 21);
        Table table = IcebergTables.load(config);
        table.expireSnapshots().expireOlderThan(Long.MAX_VALUE).retainLast(1).commit();
        S3TablesLikeCompaction.rewriteEveryFile(IcebergTables.load(config));
        table = IcebergTables.load(config);
        table.expireSnapshots().expireOlderThan(Long.MAX_VALUE).retainLast(1).commit();
        assertEquals(1, count(IcebergTables.load(config).snapshots()), "only the compaction's snapshot is left");

        LoadResult again = load(config, "a", 1);

        assertTrue(again.isSkipped(), String.valueOf(again));
        assertEquals(new LedgerEntry("data.products_loads", loadedA, "run-a", true), again.ledgerEntry());
        assertEquals(30, TableRows.read(IcebergTables.load(config)).size());
        assertFalse(load(config, "d", 31).isSkipped(), "another input is loaded");
    }

    @Test
    void anOverwriteReplacesTheRowsOfTheLoadsBeforeIt() throws Exception {
        TableConfig config = table(TableConfig.Mode.OVERWRITE);
        load(config, "a", 1);
        load(config, "b", 11);
        Table table = IcebergTables.load(config);
        table.expireSnapshots().expireOlderThan(Long.MAX_VALUE).retainLast(1).commit();

        LoadResult again = load(config, "a", 1);

        assertFalse(again.isSkipped(), "b's overwrite replaced a's rows: " + again);
        assertTrue(load(config, "a", 1).isSkipped(), "a is the table's content now");
    }

    @Test
    void aCommitWhoseLedgerRowIsMissingIsRecordedBeforeItsSnapshotExpires() throws Exception {
        TableConfig config = table(TableConfig.Mode.APPEND);
        load(config, "a", 1);
        // as a process killed between the data commit and the ledger's write leaves it
        try (IcebergTables tables = IcebergTables.open(config)) {
            tables.catalog().dropTable(tables.ledgerIdentifier(), true);
        }
        load(config, "b", 11);
        try (IcebergTables tables = IcebergTables.open(config)) {
            assertEquals(List.of("run-a", "run-b"), new LoadLedger(tables).entries(tables.load()).stream()
                    .map(LoadRecord::runId).toList(), "the next load writes what the ledger lacks");
        }
        IcebergTables.load(config).expireSnapshots().expireOlderThan(Long.MAX_VALUE).retainLast(1).commit();

        assertTrue(load(config, "a", 1).isSkipped());
    }

    private LoadResult load(TableConfig config, String input, int firstId) throws Exception {
        Schema schema = TestParquet.productSchema();
        List<GenericRecord> rows = TestParquet.products(firstId, 10, "Acme");
        String name = UUID.randomUUID() + ".parquet";
        Path file = TestParquet.write(dir.resolve(name), schema,
                new EmbeddedIcebergLoadEngine(config, s3.client()).fieldIds(schema), rows);
        LoadRequest request = new LoadRequest("run-" + input, s3.put("incoming/" + name, file), schema, rows.size(),
                sha256(input), "file", input + ".csv", file, 100 + input.length());
        return new EmbeddedIcebergLoadEngine(config, s3.client()).load(request);
    }

    private static String sha256(String input) {
        return String.format("%064x", input.hashCode() & 0xffffffffL);
    }

    private static long snapshotOf(TableConfig config, String runId) {
        try (IcebergTables tables = IcebergTables.open(config)) {
            return new LoadLedger(tables).entries(tables.load()).stream().filter(r -> runId.equals(r.runId()))
                    .findFirst().orElseThrow().snapshotId();
        }
    }

    private static int count(Iterable<?> items) {
        int n = 0;
        for (Object ignored : items) {
            n++;
        }
        return n;
    }
}
