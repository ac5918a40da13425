package query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import config.TableConfig;
import lake.IcebergTables;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.deletes.PositionDelete;
import org.apache.iceberg.deletes.PositionDeleteWriter;
import org.apache.iceberg.parquet.Parquet;
import org.junit.jupiter.api.Test;
import support.TableRows;

/** A snapshot with row-level delete files is refused: DuckDB reading the data files alone would count deleted rows. */
class DeleteFilesAreRefusedTest extends QueryTestSupport {

    @Test
    void positionalDeleteFileIsRefusedWithAClearError() throws Exception {
        TableConfig config = table(TableConfig.Mode.OVERWRITE);
        loadProducts(config, 1, 20, "Acme");
        Table table = IcebergTables.load(config);
        String dataFile = IcebergTables.currentFiles(table).dataFiles().get(0);
        String location = table.locationProvider().newDataLocation("deletes-1.parquet");
        PositionDeleteWriter<Record> writer = Parquet.writeDeletes(table.io().newOutputFile(location))
                .withSpec(table.spec())
                .overwrite()
                .buildPositionWriter();
        try (writer) {
            writer.write(PositionDelete.<Record>create().set(dataFile, 0L, null));
        }
        DeleteFile deletes = writer.toDeleteFile();
        table.newRowDelta().addDeletes(deletes).commit();
        assertEquals(19, TableRows.read(table).size(), "Iceberg itself applies the delete");

        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> engine(config, 20).query("SELECT COUNT(*) FROM \"data\".\"products\""));
        assertThrows(IllegalStateException.class, () -> engine(config, 20).countRows());

        assertTrue(e.getMessage().startsWith("Table data.products snapshot "), e.getMessage());
        assertTrue(e.getMessage().contains("1 row-level delete file(s)"), e.getMessage());
        assertTrue(e.getMessage().contains(location), e.getMessage());
    }
}
