package app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import lake.IcebergTables;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.junit.jupiter.api.Test;
import support.TableRows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A one-shot run of the bundled sample lands a typed Parquet object in the embedded S3 and the 20 rows in the Iceberg
 * table, answered by DuckDB and kept as CSV.
 */
class OneShotFileRunWritesTypedParquetTest extends OneShotOfTheSampleRun {

    @Test
    void sampleLandsAsTypedParquet() throws Exception {
        JsonNode report = awaitSucceeded();

        assertEquals("once", report.get("trigger").asText());
        assertEquals(20, report.get("rowsRead").asLong());
        assertEquals(20, report.get("rowsWritten").asLong());
        assertEquals(0, report.get("rowsRejected").asLong());
        String parquetUri = report.get("parquetUri").asText();
        assertEquals("s3://s3-general-purpose-ecommerce/data/products.parquet", parquetUri);
        assertTrue(report.get("stageMs").has("convert"), report.toString());
        assertTrue(report.get("stageMs").has("upload"), report.toString());

        assertEquals(sampleRows(), asRows(readParquet(parquetUri)));
        assertEquals(PrimitiveTypeName.INT32,
                parquetSchema(parquetUri).getType("product_id").asPrimitiveType().getPrimitiveTypeName());
        assertEquals("data.products", report.get("table").asText());
        assertTrue(report.get("snapshotId").asLong() > 0, report.toString());
        assertEquals(20, report.path("query").get("rows").asLong());
        Path results = Path.of(report.path("query").path("resultsFile").asText());
        List<String> csv = Files.readAllLines(results);
        assertEquals("product_id,product_name,product_category,brand", csv.get(0));
        assertEquals(21, csv.size());
        assertEquals(Files.readAllLines(samplePath()).subList(1, 21).stream().sorted().toList(),
                csv.subList(1, 21).stream().sorted().toList());

        // the table itself, read with Iceberg's own generic reader
        Table table = IcebergTables.load(table());
        for (Record r : TableRows.read(table)) {
            assertTrue(r.getField("product_id") instanceof Integer);
        }
        assertEquals(sampleRows(), TableRows.productRows(table));
        assertEquals(report.get("snapshotId").asLong(), table.currentSnapshot().snapshotId());

        awaitExitCode(0);
    }
}
