package convert;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericFixed;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroSchemaConverter;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnWriteStore;
import org.apache.parquet.column.ColumnWriter;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.CodecFactory;
import org.apache.parquet.hadoop.ColumnChunkPageWriteStore;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;

/**
 * Writes rows of values from {@link FieldConverters} (one per schema field, in schema order, {@code null} for null)
 * straight to one Parquet column writer per field: the same schema, encodings, statistics and footer as parquet-avro's
 * writer, without a {@code GenericRecord}, a record consumer or a type dispatch per value. The schema is flat (every
 * field a required or {@code ["null", T]} primitive), so a value's repetition level is 0 and its definition level is
 * the column's maximum.
 */
final class ColumnRowWriter implements Closeable {

    private static final String AVRO_SCHEMA_METADATA_KEY = "parquet.avro.schema";
    private static final String OBJECT_MODEL_NAME = "avro";
    // how often the buffered size is checked against the row group size, as parquet-hadoop's record writer does
    private static final long MIN_ROWS_FOR_CHECK = 100;
    private static final long MAX_ROWS_FOR_CHECK = 10_000;

    private final Schema schema;
    private final MessageType parquetSchema;
    private final ParquetProperties properties;
    private final CodecFactory codecs;
    private final CompressionCodecFactory.BytesInputCompressor compressor;
    private final ParquetFileWriter file;
    private final long rowGroupSize;
    private final ValueWriter[] valueWriters;
    private final int[] nullLevels;
    private ColumnChunkPageWriteStore pages;
    private ColumnWriteStore columns;
    private ColumnWriter[] writers;
    private int rowGroupOrdinal;
    private long rowsInGroup;
    private long nextSizeCheck = MIN_ROWS_FOR_CHECK;
    private boolean closed;

    ColumnRowWriter(OutputFile output, Schema schema, CompressionCodecName codec, long rowGroupSize, int pageSize)
            throws IOException {
        this.schema = schema;
        this.parquetSchema = new AvroSchemaConverter().convert(schema);
        this.properties = ParquetProperties.builder().withPageSize(pageSize).build();
        this.rowGroupSize = rowGroupSize;
        this.codecs = new CodecFactory(new Configuration(false), pageSize);
        this.compressor = codecs.getCompressor(codec);
        List<Schema.Field> fields = schema.getFields();
        this.valueWriters = new ValueWriter[fields.size()];
        this.nullLevels = new int[fields.size()];
        List<ColumnDescriptor> descriptors = parquetSchema.getColumns();
        for (Schema.Field field : fields) {
            valueWriters[field.pos()] = valueWriter(AvroSchemas.nonNull(field.schema()),
                    descriptors.get(field.pos()).getMaxDefinitionLevel());
            nullLevels[field.pos()] = descriptors.get(field.pos()).getMaxDefinitionLevel() - 1;
        }
        this.file = new ParquetFileWriter(output, parquetSchema, ParquetFileWriter.Mode.OVERWRITE, rowGroupSize, 0,
                null, properties);
        file.start();
        startRowGroup();
    }

    void write(Object[] values) throws IOException {
        ColumnWriter[] w = writers;
        for (int f = 0; f < values.length; f++) {
            Object value = values[f];
            if (value == null) {
                w[f].writeNull(0, nullLevels[f]);
            } else {
                valueWriters[f].write(w[f], value);
            }
        }
        columns.endRecord();
        rowsInGroup++;
        if (rowsInGroup >= nextSizeCheck) {
            checkRowGroupSize();
        }
    }

    /** Flushes the last row group and writes the footer. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            flushRowGroup();
            columns.close();
            pages.close();
            file.end(Map.of(AVRO_SCHEMA_METADATA_KEY, schema.toString(),
                    ParquetWriter.OBJECT_MODEL_NAME_PROP, OBJECT_MODEL_NAME));
        } finally {
            codecs.release();
        }
    }

    /** Estimates from the average row size when the row group will be full, and flushes it once it is. */
    private void checkRowGroupSize() throws IOException {
        long buffered = columns.getBufferedSize();
        long rowSize = Math.max(1, buffered / rowsInGroup);
        if (buffered > rowGroupSize - 2 * rowSize) {
            flushRowGroup();
            columns.close();
            pages.close();
            startRowGroup();
            return;
        }
        nextSizeCheck = Math.min(Math.max(MIN_ROWS_FOR_CHECK, (rowsInGroup + (rowGroupSize - buffered) / rowSize) / 2),
                rowsInGroup + MAX_ROWS_FOR_CHECK);
    }

    private void startRowGroup() {
        pages = new ColumnChunkPageWriteStore(compressor, parquetSchema, properties.getAllocator(),
                properties.getColumnIndexTruncateLength(), properties.getPageWriteChecksumEnabled(), null,
                rowGroupOrdinal++);
        columns = properties.newColumnWriteStore(parquetSchema, pages, pages);
        List<ColumnDescriptor> descriptors = parquetSchema.getColumns();
        writers = new ColumnWriter[descriptors.size()];
        for (int c = 0; c < writers.length; c++) {
            writers[c] = columns.getColumnWriter(descriptors.get(c));
        }
        rowsInGroup = 0;
        nextSizeCheck = MIN_ROWS_FOR_CHECK;
    }

    private void flushRowGroup() throws IOException {
        if (rowsInGroup == 0) {
            return;
        }
        file.startBlock(rowsInGroup);
        columns.flush();
        pages.flushToFileWriter(file);
        file.endBlock();
    }

    /** The values FieldConverters produces for each Avro type, as parquet-avro writes them. */
    private static ValueWriter valueWriter(Schema type, int level) {
        return switch (type.getType()) {
            case INT -> (w, v) -> w.write((Integer) v, 0, level);
            case LONG -> (w, v) -> w.write((Long) v, 0, level);
            case FLOAT -> (w, v) -> w.write((Float) v, 0, level);
            case DOUBLE -> (w, v) -> w.write((Double) v, 0, level);
            case BOOLEAN -> (w, v) -> w.write((Boolean) v, 0, level);
            // FieldConverters encodes strings already: an array-backed Binary (Binary.fromString wraps a ByteBuffer,
            // slower to hash, compare and copy in the dictionary and the statistics)
            case STRING -> (w, v) -> w.write((Binary) v, 0, level);
            case BYTES -> (w, v) -> w.write(Binary.fromConstantByteBuffer((ByteBuffer) v), 0, level);
            case FIXED -> (w, v) -> w.write(Binary.fromConstantByteArray(((GenericFixed) v).bytes()), 0, level);
            default -> throw new IllegalStateException("AvroSchemas.load lets no " + type + " through");
        };
    }

    @FunctionalInterface
    private interface ValueWriter {
        void write(ColumnWriter writer, Object value);
    }
}
