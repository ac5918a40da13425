package query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import config.TableConfig;
import lake.IcebergTables;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericAppenderFactory;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.deletes.EqualityDeleteWriter;
import org.apache.iceberg.deletes.PositionDelete;
import org.apache.iceberg.deletes.PositionDeleteWriter;
import org.apache.iceberg.encryption.EncryptedFiles;
import org.apache.iceberg.parquet.Parquet;
import org.junit.jupiter.api.Test;
import support.TableRows;

/**
 * DuckDB leaves out the rows a snapshot's position delete files name, in every data file they name, as Iceberg does;
 * an equality delete file, which it cannot apply, makes the query fail naming it.
 */
class PositionDeletesAppliedEqualityDeletesRefusedTest extends QueryTestSupport {

    @Test
    void rowsNamedByPositionDeletesAreNotAnswered() throws Exception {
        TableConfig config = table(TableConfig.Mode.APPEND);
        loadProducts(config, 1, 20, "Acme");
        loadProducts(config, 21, 20, "Zeta");
        Table table = IcebergTables.load(config);
        List<String> dataFiles = IcebergTables.currentFiles(table).dataFiles();
        String location = table.locationProvider().newDataLocation("deletes-1.parquet");
        PositionDeleteWriter<Record> writer = Parquet.writeDeletes(table.io().newOutputFile(location))
                .withSpec(table.spec())
                .overwrite()
                .buildPositionWriter();
        // the files in path order, as a position delete file holds them
        List<String> sorted = dataFiles.stream().sorted().toList();
        try (writer) {
            writer.write(PositionDelete.<Record>create().set(sorted.get(0), 0L, null));
            writer.write(PositionDelete.<Record>create().set(sorted.get(0), 5L, null));
            writer.write(PositionDelete.<Record>create().set(sorted.get(1), 19L, null));
        }
        table.newRowDelta().addDeletes(writer.toDeleteFile()).commit();
        List<Record> expected = TableRows.read(IcebergTables.load(config));
        assertEquals(37, expected.size(), "Iceberg itself applies the deletes");

        QueryResult result = engine(config, 50).query("SELECT string_agg(product_id::VARCHAR, ',' ORDER BY product_id)"
                                                      + " FROM \"data\".\"products\"");
        long counted = engine(config, 50).countRows();

        assertEquals(37, counted);
        String ids = expected.stream().map(row -> (Integer) row.getField("product_id")).sorted()
                .map(String::valueOf).reduce((a, b) -> a + "," + b).orElseThrow();
        assertEquals(ids, lines(result.resultsFile()).get(1).replace("\"", ""));
    }

    @Test
    void anEqualityDeleteFileIsRefusedWithAClearError() throws Exception {
        TableConfig config = table(TableConfig.Mode.OVERWRITE);
        loadProducts(config, 1, 20, "Acme");
        Table table = IcebergTables.load(config);
        Schema keys = table.schema().select("product_id");
        int keyId = keys.findField("product_id").fieldId();
        String location = table.locationProvider().newDataLocation("eq-deletes-1.parquet");
        EqualityDeleteWriter<Record> writer = new GenericAppenderFactory(table.schema(), table.spec(),
                new int[] {keyId}, keys, null)
                .newEqDeleteWriter(EncryptedFiles.plainAsEncryptedOutput(table.io().newOutputFile(location)),
                        FileFormat.PARQUET, null);
        try (writer) {
            writer.write(GenericRecord.create(keys).copy("product_id", 3));
        }
        DeleteFile deletes = writer.toDeleteFile();
        table.newRowDelta().addDeletes(deletes).commit();
        assertEquals(19, TableRows.read(table).size(), "Iceberg itself applies the delete");

        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> engine(config, 20).query("SELECT COUNT(*) FROM \"data\".\"products\""));
        assertThrows(IllegalStateException.class, () -> engine(config, 20).countRows());

        assertTrue(e.getMessage().startsWith("Table data.products snapshot "), e.getMessage());
        assertTrue(e.getMessage().contains("1 equality delete file(s)"), e.getMessage());
        assertTrue(e.getMessage().contains(location), e.getMessage());
    }
}
