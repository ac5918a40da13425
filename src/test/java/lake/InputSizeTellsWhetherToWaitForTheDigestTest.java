package lake;

import java.util.List;

import config.TableConfig;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each commit records its input's size beside its SHA-256, and the table tells from the size alone whether it may
 * hold an input: a run whose input has a size no commit in the table has converts without waiting for its SHA-256.
 * A commit that recorded no size (the Spark job's, an older one) may hold any input.
 */
class InputSizeTellsWhetherToWaitForTheDigestTest extends LoadTestSupport {

    private static final Schema PRODUCTS = TestParquet.productSchema();

    @Test
    void onlyAnInputOfASizeTheTableHoldsMayBeHeld() throws Exception {
        TableConfig config = table(TableConfig.Mode.APPEND);
        EmbeddedIcebergLoadEngine engine = new EmbeddedIcebergLoadEngine(config, s3.client());
        assertFalse(engine.mayHold(897), "no table yet");

        load(engine, config, "a".repeat(64), 897, TestParquet.products(1, 20, "Sony"));

        assertTrue(engine.mayHold(897));
        assertFalse(engine.mayHold(898));
        try (IcebergTables tables = IcebergTables.open(config)) {
            assertEquals("897", tables.load().currentSnapshot().summary().get(CommitIdentity.INPUT_BYTES));
        }

        load(engine, config, "b".repeat(64), -1, TestParquet.products(21, 5, "Sony"));

        assertTrue(engine.mayHold(898), "a commit of an input of unknown size may hold any");
    }

    @Test
    void anOverwriteHidesTheInputsItReplaced() throws Exception {
        TableConfig config = table(TableConfig.Mode.OVERWRITE);
        EmbeddedIcebergLoadEngine engine = new EmbeddedIcebergLoadEngine(config, s3.client());
        load(engine, config, "a".repeat(64), 897, TestParquet.products(1, 20, "Sony"));
        load(engine, config, "b".repeat(64), 1000, TestParquet.products(1, 20, "Bose"));

        assertFalse(engine.mayHold(897), "replaced by the overwrite");
        assertTrue(engine.mayHold(1000));
    }

    @Test
    void preparingAMissingTableAheadCreatesNothingAndTheLooksStillAnswer() throws Exception {
        // as at start-up: the table is prepared on a thread of its own while the run asks about its input; the
        // preparation reads a new table's field ids from a create it never commits, and the run's load creates it
        TableConfig sizes = new TableConfig(TableConfig.Catalog.HADOOP, dir.resolve("warehouse"), null, "data",
                "by_size", TableConfig.Mode.APPEND, TableConfig.SchemaEvolution.NONE);
        EmbeddedIcebergLoadEngine bySize = new EmbeddedIcebergLoadEngine(sizes, s3.client());
        bySize.prepareAhead(PRODUCTS);
        assertFalse(bySize.mayHold(897));
        assertArrayEquals(new int[] {1, 2, 3, 4}, bySize.fieldIds(PRODUCTS));
        assertFalse(exists(sizes), "the table was created before a run committed to it");

        TableConfig digests = table(TableConfig.Mode.APPEND);
        EmbeddedIcebergLoadEngine byDigest = new EmbeddedIcebergLoadEngine(digests, s3.client());
        byDigest.prepareAhead(PRODUCTS);
        assertTrue(byDigest.findLoad("a".repeat(64)).isEmpty());
        assertFalse(exists(digests), "the table was created before a run committed to it");
        load(byDigest, digests, "b".repeat(64), 897, TestParquet.products(1, 2, "Acme"));
        assertTrue(exists(digests), "the load's commit creates the table");
    }

    private static boolean exists(TableConfig config) {
        try (IcebergTables tables = IcebergTables.open(config)) {
            return tables.find().isPresent();
        }
    }

    private void load(EmbeddedIcebergLoadEngine engine, TableConfig config, String sha256, long inputBytes,
                      List<GenericRecord> rows) throws Exception {
        LoadRequest uploaded = upload(config, PRODUCTS, rows);
        engine.load(new LoadRequest(uploaded.runId(), uploaded.parquetUri(), PRODUCTS, rows.size(), sha256, "file",
                "products.csv", null, inputBytes));
    }
}
