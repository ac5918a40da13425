package spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;

import lake.LoadResult;
import org.junit.jupiter.api.Test;

/** The job's LOAD_SUMMARY line of a merge gives the app the rows before it and its keys inserted, updated, deleted. */
class LoadSummaryCarriesWhatAMergeDidTest {

    private static final String PREFIX = "LOAD_SUMMARY {\"table\": \"local.data.products\", \"mode\": ";

    @Test
    void aMergesSummaryCarriesTheRowsBeforeAndWhatItDidToThem() {
        LoadSummary summary = LoadSummary.find(List.of(PREFIX + "\"merge\","
                + " \"rowsBefore\": 1000, \"rowsRemoved\": 100, \"inserted\": 50, \"updated\": 100, \"deleted\": 0,"
                + " \"rowsWritten\": 150, \"snapshotId\": 42, \"rowsInTable\": 1050}")).orElseThrow();

        assertEquals(List.of(150L, 42L, 1050L, 1000L), List.of(summary.rowsWritten(), summary.snapshotId(),
                summary.rowsInTable(), summary.rowsBefore()));
        assertEquals(new LoadResult.Merged(50, 100, 0, 100), summary.merged());
    }

    @Test
    void anAppendsSummaryHasNoMerge() {
        LoadSummary summary = LoadSummary.find(List.of(PREFIX + "\"append\","
                + " \"rowsWritten\": 20, \"snapshotId\": 7, \"rowsInTable\": 40}")).orElseThrow();

        assertNull(summary.merged());
        assertEquals(-1, summary.rowsBefore());
    }
}
