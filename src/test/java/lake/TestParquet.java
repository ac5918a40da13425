package lake;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.io.LocalOutputFile;

/** Parquet input files as the convert stage writes them: parquet-avro, no Iceberg field ids. */
public final class TestParquet {

    private static final String[] CATEGORIES = {"Electronics", "Books", "Garden", "Toys"};

    private TestParquet() {
    }

    /** The Product schema of src/main/resources/schemas/products.avsc. */
    public static Schema productSchema() {
        try (InputStream in = TestParquet.class.getResourceAsStream("/schemas/products.avsc")) {
            return new Schema.Parser().parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code count} products with ids from {@code firstId}; categories cycle through four values. */
    public static List<GenericRecord> products(int firstId, int count, String brand) {
        Schema schema = productSchema();
        List<GenericRecord> rows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int id = firstId + i;
            GenericRecord row = new GenericData.Record(schema);
            row.put("product_id", id);
            row.put("product_name", "Product " + id);
            row.put("product_category", CATEGORIES[id % CATEGORIES.length]);
            row.put("brand", brand);
            rows.add(row);
        }
        return rows;
    }

    public static Path write(Path file, Schema schema, List<GenericRecord> rows) throws IOException {
        try (ParquetWriter<GenericRecord> writer = AvroParquetWriter.<GenericRecord>builder(new LocalOutputFile(file))
                .withSchema(schema)
                .build()) {
            for (GenericRecord row : rows) {
                writer.write(row);
            }
        }
        return file;
    }
}
