package lake;

import java.util.Comparator;

/**
 * One commit of a table as the load ledger keeps it ({@link LoadLedger}): a load of the pipeline (its input's identity,
 * from the snapshot summary, {@link CommitIdentity}) or a commit of anyone's that replaced every row (its input
 * unknown). Commits are ordered by the table's sequence number, then their time (a format-1 table numbers none).
 *
 * @param tableUuid      the data table's UUID: a table dropped and made again is another table
 * @param snapshotId     the snapshot the commit made
 * @param sequenceNumber the snapshot's sequence number
 * @param committedAt    when it was committed, epoch milliseconds
 * @param operation      the pipeline's mode ({@code append}, {@code overwrite}, {@code merge}), or, for a commit of
 *                       someone else's, its Iceberg operation
 * @param replacesRows   whether the commit replaced every row of the table: the loads before it are not in the table
 * @param inputSha256    the SHA-256 of the input it loaded; null for a commit of someone else's
 * @param inputBytes     the input's size; null when not recorded
 * @param runId          the run that committed it; null when unknown
 * @param trigger        what started that run; null when unknown
 * @param source         where its input came from, secrets masked; null when unknown
 * @param rowsAdded      the rows it added; null when not recorded
 */
public record LoadRecord(String tableUuid, long snapshotId, long sequenceNumber, long committedAt, String operation,
                         boolean replacesRows, String inputSha256, Long inputBytes, String runId, String trigger,
                         String source, Long rowsAdded) {

    /** The order of commits in their table. */
    static final Comparator<LoadRecord> ORDER = Comparator.comparingLong(LoadRecord::sequenceNumber)
            .thenComparingLong(LoadRecord::committedAt);

    /** Whether this commit came after {@code other} in their table. */
    boolean after(LoadRecord other) {
        return ORDER.compare(this, other) > 0;
    }

    /** Whether the commit loaded an input of the pipeline's (its SHA-256 known). */
    boolean isLoad() {
        return inputSha256 != null;
    }

    /** An earlier load of the same input, as a skipped run names it; {@code ledger} null when it has no row there. */
    CommitIdentity.PriorLoad asPriorLoad(String ledger) {
        return new CommitIdentity.PriorLoad(snapshotId, runId == null ? "unknown" : runId, ledger);
    }
}
