package support;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.schema.MessageType;

/** A local Parquet file read back for a test: its records, its footer, its schema. */
public final class ParquetFiles {

    /** The columns of the sample's products, in CSV order. */
    static final List<String> PRODUCT_COLUMNS = List.of("product_id", "product_name", "product_category", "brand");

    private ParquetFiles() {
    }

    /** Every record of {@code file}, in file order, as Avro records (strings come back as Utf8). */
    public static List<GenericRecord> records(Path file) throws IOException {
        List<GenericRecord> records = new ArrayList<>();
        try (ParquetReader<GenericRecord> reader = AvroParquetReader.<GenericRecord>builder(new LocalInputFile(file))
                .build()) {
            for (GenericRecord record = reader.read(); record != null; record = reader.read()) {
                records.add(record);
            }
        }
        return records;
    }

    /** The footer of {@code file}: its schema and row groups. */
    public static ParquetMetadata footer(Path file) throws IOException {
        try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file))) {
            return reader.getFooter();
        }
    }

    public static MessageType schema(Path file) throws IOException {
        return footer(file).getFileMetaData().getSchema();
    }

    /** The four product columns of each record as text, in the records' order: comparable with the sample's rows. */
    public static List<List<String>> productRows(List<GenericRecord> records) {
        return records.stream().map(record -> productRow(record::get)).toList();
    }

    static List<String> productRow(Function<String, Object> field) {
        return PRODUCT_COLUMNS.stream().map(column -> String.valueOf(field.apply(column))).toList();
    }
}
