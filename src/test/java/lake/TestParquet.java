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
import java.util.stream.IntStream;

import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroSchemaConverter;
import org.apache.parquet.avro.AvroWriteSupport;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;

/** Parquet input files as the convert stage writes them: the Avro schema's columns with the table's field ids. */
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

    /** Written for a new table: field ids 1, 2, 3... in schema order. */
    public static Path write(Path file, Schema schema, List<GenericRecord> rows) throws IOException {
        return write(file, schema, IntStream.rangeClosed(1, schema.getFields().size()).toArray(), rows);
    }

    /** Written with the given field id of each schema field, as the convert stage does for an existing table. */
    public static Path write(Path file, Schema schema, int[] fieldIds, List<GenericRecord> rows) throws IOException {
        MessageType parquet = new AvroSchemaConverter().convert(schema);
        List<Type> columns = new ArrayList<>();
        for (int i = 0; i < parquet.getFieldCount(); i++) {
            columns.add(parquet.getType(i).withId(fieldIds[i]));
        }
        MessageType withIds = new MessageType(parquet.getName(), columns);
        try (ParquetWriter<GenericRecord> writer = new Builder(new LocalOutputFile(file), withIds, schema).build()) {
            for (GenericRecord row : rows) {
                writer.write(row);
            }
        }
        return file;
    }

    private static final class Builder extends ParquetWriter.Builder<GenericRecord, Builder> {

        private final MessageType parquet;
        private final Schema avro;

        Builder(OutputFile file, MessageType parquet, Schema avro) {
            super(file);
            this.parquet = parquet;
            this.avro = avro;
        }

        @Override
        protected Builder self() {
            return this;
        }

        @Override
        protected WriteSupport<GenericRecord> getWriteSupport(Configuration conf) {
            return new AvroWriteSupport<>(parquet, avro, GenericData.get());
        }
    }
}
