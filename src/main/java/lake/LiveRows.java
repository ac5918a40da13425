package lake;

import java.util.Map;

import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotSummary;

/**
 * The rows a snapshot holds, from its summary: its data files' {@code total-records} less the rows its position delete
 * files take out ({@code total-position-deletes}). Exact as long as no row is deleted twice, which the merges written
 * here guarantee (they do not delete a row a delete file already names).
 */
final class LiveRows {

    private LiveRows() {
    }

    /** The rows of {@code snapshot}; 0 for none (a table never written). */
    static long of(Snapshot snapshot) {
        if (snapshot == null) {
            return 0;
        }
        Map<String, String> summary = snapshot.summary();
        return Math.max(0, number(summary, SnapshotSummary.TOTAL_RECORDS_PROP)
                           - number(summary, SnapshotSummary.TOTAL_POS_DELETES_PROP));
    }

    private static long number(Map<String, String> summary, String key) {
        try {
            return Long.parseLong(summary.getOrDefault(key, "0"));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
