package spark;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import lake.CommitIdentity;
import lake.LedgerEntry;
import lake.LoadResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code LOAD_SUMMARY {...}} line pyspark/load_to_iceberg.py prints on success, wherever the job ran (EMR's
 * stdout.gz or a local spark-submit's stdout).
 *
 * @param rowsWritten rows the job read from the input and wrote, -1 when absent
 * @param snapshotId  the table's snapshot after the load, -1 when absent
 * @param rowsInTable rows in that snapshot, -1 when absent
 * @param skipped     true when the table already held the input: {@code snapshotId} is the snapshot that loaded it
 * @param loadedBy    the run that loaded it, when skipped
 * @param ledger      the load ledger the job wrote the commit to ({@code data.products_loads}), or that holds the
 *                    earlier load; null when it names none
 * @param recorded    whether the ledger has the commit's row (false: the next job writes it)
 * @param rowsBefore  a merge's: rows in the table before it, -1 when absent
 * @param merged      a merge's keys inserted, updated and deleted, and the table's rows it took out; null otherwise
 * @param converted   when the job converted a CSV ({@code "convertedOn": "spark"}): the rows it read and rejected,
 *                    where it wrote the rejected ones; null otherwise
 * @param noRows      the CSV the job converted has a header and no data rows: nothing was loaded
 */
public record LoadSummary(long rowsWritten, long snapshotId, long rowsInTable, boolean skipped, String loadedBy,
                          String ledger, boolean recorded, long rowsBefore, LoadResult.Merged merged,
                          LoadResult.Converted converted, boolean noRows) {

    public LoadSummary(long rowsWritten, long snapshotId, long rowsInTable, boolean skipped, String loadedBy,
                       String ledger, boolean recorded, long rowsBefore, LoadResult.Merged merged) {
        this(rowsWritten, snapshotId, rowsInTable, skipped, loadedBy, ledger, recorded, rowsBefore, merged, null,
                false);
    }

    public LoadSummary(long rowsWritten, long snapshotId, long rowsInTable, boolean skipped, String loadedBy,
                       String ledger, boolean recorded) {
        this(rowsWritten, snapshotId, rowsInTable, skipped, loadedBy, ledger, recorded, -1, null);
    }

    public static final String PREFIX = "LOAD_SUMMARY ";
    /** Why a run whose CSV the job found to hold a header alone ends SKIPPED, as the app's convert says it. */
    public static final String NO_ROWS = "the input has a header but no data rows";

    private static final Logger LOG = LoggerFactory.getLogger(LoadSummary.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The first readable summary line among {@code lines}. */
    public static Optional<LoadSummary> find(List<String> lines) {
        for (String line : lines) {
            int at = line.indexOf(PREFIX);
            if (at >= 0) {
                try {
                    JsonNode json = JSON.readTree(line.substring(at + PREFIX.length()));
                    LoadResult.Merged merged = json.has("rowsRemoved")
                            ? new LoadResult.Merged(json.path("inserted").asLong(), json.path("updated").asLong(),
                                    json.path("deleted").asLong(), json.path("rowsRemoved").asLong())
                            : null;
                    LoadResult.Converted converted = "spark".equals(json.path("convertedOn").asText())
                            ? new LoadResult.Converted(json.path("rowsRead").asLong(), json.path("rowsRejected").asLong(),
                                    json.hasNonNull("rejects") ? json.get("rejects").asText() : null)
                            : null;
                    return Optional.of(new LoadSummary(json.path("rowsWritten").asLong(-1),
                                                       json.path("snapshotId").asLong(-1),
                                                       json.path("rowsInTable").asLong(-1),
                                                       json.path("skipped").asBoolean(false),
                                                       json.path("loadedBy").asText("unknown"),
                                                       json.hasNonNull("ledger") ? json.get("ledger").asText() : null,
                                                       json.path("ledgerRecorded").asBoolean(json.has("ledger")),
                                                       json.path("rowsBefore").asLong(-1), merged, converted,
                                                       json.path("noRows").asBoolean(false)));
                } catch (IOException e) {
                    LOG.warn("Unreadable LOAD_SUMMARY line: {}", line);
                }
            }
        }
        return Optional.empty();
    }

    /** The earlier load the job found its input in the table by. */
    public CommitIdentity.PriorLoad priorLoad() {
        return new CommitIdentity.PriorLoad(snapshotId, loadedBy, ledger);
    }

    /** The ledger's row of the commit the job made, for run {@code runId}; null when the job names no ledger. */
    public LedgerEntry ledgerEntry(String runId) {
        return ledger == null ? null : new LedgerEntry(ledger, snapshotId, runId, recorded);
    }

    public boolean hasRowsInTable() {
        return rowsInTable >= 0;
    }
}
