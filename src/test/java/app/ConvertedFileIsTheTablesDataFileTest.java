package app;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import lake.IcebergTables;
import lake.SnapshotFiles;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Write once: the Parquet the convert stage wrote, and uploaded, is the table's data file byte for byte, with the
 * table's field ids; the load decoded and re-encoded nothing. DuckDB then reads the table back exactly.
 */
class ConvertedFileIsTheTablesDataFileTest extends OneShotOfTheSampleRun {

    @Test
    void theUploadedFileIsCommittedAsItIs() throws Exception {
        JsonNode report = awaitSucceeded();

        SnapshotFiles files = IcebergTables.currentFiles(table());
        assertEquals(1, files.dataFiles().size(), files.toString());
        assertEquals(0, files.deleteFiles().size(), files.toString());
        Path dataFile = local(files.dataFiles().get(0));
        Path uploaded = downloadUri(report.get("parquetUri").asText());
        assertArrayEquals(Files.readAllBytes(uploaded), Files.readAllBytes(dataFile),
                "the table's data file " + dataFile + " is not the uploaded " + report.get("parquetUri").asText());

        MessageType schema = parquetSchema(report.get("parquetUri").asText());
        List<String> ids = schema.getFields().stream().map(f -> f.getName() + "=" + f.getId()).toList();
        List<String> tableIds = files.schema().columns().stream().map(c -> c.name() + "=" + c.fieldId()).toList();
        assertEquals(tableIds, ids);
        assertEquals(List.of(Type.Repetition.REQUIRED), schema.getFields().stream().map(Type::getRepetition)
                .distinct().toList(), "the walkthrough's fields are all required, in the file as in the table");

        List<String> results = Files.readAllLines(Path.of(report.path("query").path("resultsFile").asText()));
        assertEquals(Files.readAllLines(samplePath()).stream().filter(line -> !line.isBlank()).toList(), results,
                "DuckDB reads back exactly the sample");
    }

    private static Path local(String location) {
        return location.startsWith("file:") ? Path.of(URI.create(location)) : Path.of(location);
    }
}
