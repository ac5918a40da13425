package lake;

/**
 * The row of a table's load ledger ({@link LoadLedger}) that records one load, as a run's report names it: the
 * run's own load, or, for a run skipped because the table holds its input, the earlier load.
 *
 * @param ledger     the ledger table, {@code data.products_loads}
 * @param snapshotId the snapshot of the data table that the load committed
 * @param runId      the run that loaded the input
 * @param recorded   false when the row is not written yet: the load's commit made it, the ledger's write did not
 *                   (it is written at the next load, start or {@code maintain}, from the snapshot)
 */
public record LedgerEntry(String ledger, long snapshotId, String runId, boolean recorded) {

    /** The entry of an earlier load; null when only a snapshot told of it. */
    static LedgerEntry of(CommitIdentity.PriorLoad prior) {
        return prior.ledger() == null ? null : new LedgerEntry(prior.ledger(), prior.snapshotId(), prior.runId(), true);
    }
}
