package lake;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.util.SnapshotUtil;

/**
 * A table of the catalog as {@code tables} lists it: its rows (the current snapshot's, less rows deleted by position)
 * and its last load, the newest commit of the current snapshot's history that a run of the pipeline made (a commit of
 * another writer, such as a maintenance job, is no load).
 *
 * @param name     {@code namespace.table}
 * @param rows     the rows of the current snapshot; 0 for a table without one
 * @param lastLoad the last load, if the pipeline ever committed to the table
 * @param ledgerOf for a load ledger, the table whose loads it records ({@code data.products} for
 *                 {@code data.products_loads}); its rows are then the loads recorded
 */
public record TableSummary(String name, long rows, Optional<Load> lastLoad, Optional<String> ledgerOf, Table table) {

    /** A commit of a run: when, by which run, from which source. */
    public record Load(long snapshotId, Instant committedAt, String runId, String source) {
    }

    static TableSummary of(String name, Table table) {
        Snapshot current = table.currentSnapshot();
        long rows = LiveRows.of(current);
        Optional<Load> load = Optional.empty();
        if (current != null) {
            for (Snapshot snapshot : SnapshotUtil.currentAncestors(table)) {
                Map<String, String> summary = snapshot.summary();
                if (summary.containsKey(CommitIdentity.RUN_ID)) {
                    load = Optional.of(new Load(snapshot.snapshotId(), Instant.ofEpochMilli(snapshot.timestampMillis()),
                            summary.get(CommitIdentity.RUN_ID), summary.getOrDefault(CommitIdentity.SOURCE, "")));
                    break;
                }
            }
        }
        return new TableSummary(name, rows, load, Optional.empty(), table);
    }

    /** This table as the load ledger of {@code dataTable}. */
    TableSummary asLedgerOf(String dataTable) {
        return new TableSummary(name, rows, Optional.empty(), Optional.of(dataTable), table);
    }
}
