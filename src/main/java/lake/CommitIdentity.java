package lake;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import config.TableConfig;
import org.apache.iceberg.DataOperations;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotSummary;
import org.apache.iceberg.Table;

/**
 * What every commit of the pipeline records about its input in the snapshot summary, whichever engine commits: the
 * input's SHA-256, the run, the trigger, the source, the mode that committed it (and, from the embedded engine, the
 * input's size). The one place that writes and reads a commit's identity: the load ledger ({@link LoadLedger}) keeps
 * what it reads here after the snapshot itself has expired.
 */
public final class CommitIdentity {

    public static final String INPUT_SHA256 = "pipeline.input-sha256";
    public static final String RUN_ID = "pipeline.run-id";
    public static final String TRIGGER = "pipeline.trigger";
    public static final String SOURCE = "pipeline.source";
    public static final String INPUT_BYTES = "pipeline.input-bytes";
    /**
     * The mode that committed the input ({@code append}, {@code overwrite}, {@code merge}). A merge replaces some of
     * the table's rows, so it never counts as a commit that replaced every row, whatever its counts say.
     */
    public static final String MODE = "pipeline.mode";
    public static final String MERGE = "merge";

    private CommitIdentity() {
    }

    /**
     * The summary properties of a commit of {@code request}'s input in {@code mode}; the source as given (already
     * masked). Every commit of an input sets them, whatever its kind (append, overwrite, merge).
     */
    public static Map<String, String> summaryOf(LoadRequest request, TableConfig.Mode mode) {
        Map<String, String> summary = new LinkedHashMap<>();
        put(summary, INPUT_SHA256, request.inputSha256());
        put(summary, RUN_ID, request.runId());
        put(summary, TRIGGER, request.trigger());
        put(summary, SOURCE, request.source());
        put(summary, INPUT_BYTES, request.inputBytes() >= 0 ? String.valueOf(request.inputBytes()) : null);
        put(summary, MODE, mode.name().toLowerCase(Locale.ROOT));
        return summary;
    }

    /**
     * What {@code snapshot} of {@code table} says about the rows it committed, as the ledger keeps it: a load of the
     * pipeline's (its summary names the input), or a commit of anyone's that replaced every row; empty for any other
     * commit (someone else's append, a compaction).
     */
    static Optional<LoadRecord> recordOf(Table table, Snapshot snapshot) {
        Map<String, String> summary = snapshot.summary();
        String sha256 = summary.get(INPUT_SHA256);
        boolean replaces = replacesEveryRow(snapshot);
        if (sha256 == null && !replaces) {
            return Optional.empty();
        }
        return Optional.of(new LoadRecord(table.uuid().toString(), snapshot.snapshotId(), snapshot.sequenceNumber(),
                snapshot.timestampMillis(), summary.getOrDefault(MODE, snapshot.operation()), replaces, sha256,
                number(summary.get(INPUT_BYTES)), summary.get(RUN_ID), summary.get(TRIGGER), summary.get(SOURCE),
                number(summary.get(SnapshotSummary.ADDED_RECORDS_PROP))));
    }

    /**
     * Whether the commit replaced every row the table held: a commit of the pipeline's says so by its mode; of anyone
     * else's, a commit that is not a compaction and leaves only the rows it added. A compaction ({@code replace}:
     * S3 Tables' maintenance, {@code maintain}, Spark's rewrite) rewrites the same rows, so the loads before it stay in
     * the table, even when it rewrote every file.
     */
    static boolean replacesEveryRow(Snapshot snapshot) {
        Map<String, String> summary = snapshot.summary();
        String mode = summary.get(MODE);
        if (mode != null) {
            return mode.equals(TableConfig.Mode.OVERWRITE.name().toLowerCase(Locale.ROOT));
        }
        if (DataOperations.REPLACE.equals(snapshot.operation())) {
            return false;
        }
        String total = summary.get(SnapshotSummary.TOTAL_RECORDS_PROP);
        String added = summary.getOrDefault(SnapshotSummary.ADDED_RECORDS_PROP, "0");
        return total != null && total.equals(added);
    }

    private static Long number(String value) {
        try {
            return value == null ? null : Long.valueOf(value);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static void put(Map<String, String> summary, String key, String value) {
        if (value != null) {
            summary.put(key, value);
        }
    }

    /**
     * An earlier commit of the same input, still in the table.
     *
     * @param snapshotId the snapshot that loaded it (it may have expired since: the ledger remembers it)
     * @param runId      the run that loaded it
     * @param ledger     the load ledger that holds its entry ({@code data.products_loads}); null when only the
     *                   snapshot told
     */
    public record PriorLoad(long snapshotId, String runId, String ledger) {

        public PriorLoad(long snapshotId, String runId) {
            this(snapshotId, runId, null);
        }

        /** Why the run is skipped, as its report says it. */
        public String describe() {
            return "already loaded in snapshot " + snapshotId + " by run " + runId
                   + (ledger == null ? "" : " (load ledger " + ledger + ")");
        }
    }
}
