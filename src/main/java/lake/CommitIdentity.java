package lake;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotSummary;
import org.apache.iceberg.Table;
import org.apache.iceberg.util.SnapshotUtil;

/**
 * What every commit of the pipeline records about its input in the snapshot summary, whichever engine commits: the
 * input's SHA-256, the run, the trigger and the source (and, from the embedded engine, the input's size). It makes a
 * load idempotent: an input whose SHA-256 the table already holds is not loaded again.
 */
public final class CommitIdentity {

    public static final String INPUT_SHA256 = "pipeline.input-sha256";
    public static final String RUN_ID = "pipeline.run-id";
    public static final String TRIGGER = "pipeline.trigger";
    public static final String SOURCE = "pipeline.source";
    public static final String INPUT_BYTES = "pipeline.input-bytes";

    private CommitIdentity() {
    }

    /** The summary properties of a commit of {@code request}'s input; the source as given (already masked). */
    static Map<String, String> summaryOf(LoadRequest request) {
        Map<String, String> summary = new LinkedHashMap<>();
        put(summary, INPUT_SHA256, request.inputSha256());
        put(summary, RUN_ID, request.runId());
        put(summary, TRIGGER, request.trigger());
        put(summary, SOURCE, request.source());
        put(summary, INPUT_BYTES, request.inputBytes() >= 0 ? String.valueOf(request.inputBytes()) : null);
        return summary;
    }

    /**
     * The snapshot that loaded the input of SHA-256 {@code inputSha256} into the table as it is now: walking back from
     * the current snapshot, a commit of that input, appended since the last snapshot that replaced every row, or that
     * snapshot itself. An input loaded and then replaced by an overwrite is not in the table any more.
     */
    static Optional<PriorLoad> find(Table table, String inputSha256) {
        if (inputSha256 == null) {
            return Optional.empty();
        }
        return inTable(table).stream()
                .filter(snapshot -> inputSha256.equals(snapshot.summary().get(INPUT_SHA256)))
                .findFirst()
                .map(snapshot -> new PriorLoad(snapshot.snapshotId(),
                        snapshot.summary().getOrDefault(RUN_ID, "unknown")));
    }

    /**
     * Whether the table as it is now (the commits {@link #find} looks at) may hold an input of {@code inputBytes}
     * bytes: a commit of an input of that size, or of an input whose size it did not record. When it may not, no
     * input of that size is in the table, whatever its SHA-256.
     */
    static boolean mayHold(Table table, long inputBytes) {
        return inTable(table).stream().map(Snapshot::summary).anyMatch(summary -> summary.containsKey(INPUT_SHA256)
                && summary.getOrDefault(INPUT_BYTES, String.valueOf(inputBytes)).equals(String.valueOf(inputBytes)));
    }

    /**
     * The commits whose rows the table holds now: walking back from the current snapshot, each one appended since the
     * last snapshot that replaced every row, and that snapshot itself.
     */
    private static List<Snapshot> inTable(Table table) {
        List<Snapshot> commits = new ArrayList<>();
        if (table.currentSnapshot() == null) {
            return commits;
        }
        for (Snapshot snapshot : SnapshotUtil.currentAncestors(table)) {
            commits.add(snapshot);
            if (replacesEveryRow(snapshot.summary())) {
                break;
            }
        }
        return commits;
    }

    private static boolean replacesEveryRow(Map<String, String> summary) {
        String total = summary.get(SnapshotSummary.TOTAL_RECORDS_PROP);
        String added = summary.getOrDefault(SnapshotSummary.ADDED_RECORDS_PROP, "0");
        return total != null && total.equals(added);
    }

    private static void put(Map<String, String> summary, String key, String value) {
        if (value != null) {
            summary.put(key, value);
        }
    }

    /** An earlier commit of the same input, still in the table. */
    public record PriorLoad(long snapshotId, String runId) {

        /** Why the run is skipped, as its report says it. */
        public String describe() {
            return "already loaded in snapshot " + snapshotId + " by run " + runId;
        }
    }
}
