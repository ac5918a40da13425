package lake;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.LocalOutputFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A merge's copy of a data file without some rows: every other row is there, value for value (nulls, strings from
 * dictionaries and plain pages, every primitive type), row groups that lose no row are copied as they were, and a row
 * group that loses all is left out.
 */
class ParquetCopyLeavesOutOnlyTheGivenRowsTest {

    private static final int ROWS = 3000;

    @TempDir
    Path dir;

    @Test
    void everyOtherRowIsCopiedValueForValue() throws Exception {
        Schema schema = SchemaBuilder.record("Row").fields()
                .requiredInt("id")
                .requiredLong("total")
                .optionalString("name")
                .requiredString("category")
                .optionalDouble("price")
                .requiredBoolean("active")
                .endRecord();
        Path source = dir.resolve("source.parquet");
        List<GenericRecord> rows = new ArrayList<>();
        try (ParquetWriter<GenericRecord> writer = AvroParquetWriter.<GenericRecord>builder(new LocalOutputFile(source))
                .withSchema(schema).withRowGroupSize(16 * 1024).withPageSize(1024)
                .withCompressionCodec(CompressionCodecName.SNAPPY).build()) {
            for (int i = 0; i < ROWS; i++) {
                GenericRecord row = new GenericData.Record(schema);
                row.put("id", i);
                row.put("total", 1_000_000_000_000L + i);
                row.put("name", i % 7 == 0 ? null : "name " + i + " " + "x".repeat(i % 13));
                row.put("category", "category " + (i % 5));
                row.put("price", i % 11 == 0 ? null : i * 1.5);
                row.put("active", i % 2 == 0);
                rows.add(row);
                writer.write(row);
            }
        }
        List<BlockMetaData> groups = footerGroups(source);
        long firstGroup = groups.get(0).getRowCount();
        long secondGroup = groups.get(1).getRowCount();
        // none of the first group, all of the second, some of the others
        Set<Long> removed = new TreeSet<>();
        for (long r = firstGroup; r < firstGroup + secondGroup; r++) {
            removed.add(r);
        }
        for (long r = firstGroup + secondGroup; r < ROWS; r += 3) {
            removed.add(r);
        }
        removed.add((long) ROWS - 1);

        Path copy = dir.resolve("copy.parquet");
        ParquetCopy.Written written = ParquetCopy.withoutRows(new LocalInputFile(source), new LocalOutputFile(copy),
                removed.stream().mapToLong(Long::longValue).toArray());

        List<String> expected = new ArrayList<>();
        for (int i = 0; i < ROWS; i++) {
            if (!removed.contains((long) i)) {
                expected.add(rows.get(i).toString());
            }
        }
        assertEquals(expected, read(copy));
        assertEquals(expected.size(), written.rows());
        List<BlockMetaData> copied = footerGroups(copy);
        assertEquals(groups.size() - 1, copied.size(), "the group that lost every row is left out");
        assertEquals(groups.get(0).getTotalByteSize(), copied.get(0).getTotalByteSize(), "copied as it was");
        assertEquals(CompressionCodecName.SNAPPY, copied.get(1).getColumns().get(0).getCodec());
    }

    private static List<BlockMetaData> footerGroups(Path file) throws Exception {
        try (var reader = org.apache.parquet.hadoop.ParquetFileReader.open(new LocalInputFile(file))) {
            return reader.getRowGroups();
        }
    }

    private static List<String> read(Path file) throws Exception {
        List<String> rows = new ArrayList<>();
        try (ParquetReader<GenericRecord> reader = AvroParquetReader.<GenericRecord>builder(new LocalInputFile(file))
                .build()) {
            for (GenericRecord row = reader.read(); row != null; row = reader.read()) {
                rows.add(row.toString());
            }
        }
        return rows;
    }
}
