package convert;

import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroSchemaConverter;
import org.apache.parquet.bytes.BytesInput;
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
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

/**
 * Writes rows through {@link FieldEncoder}s straight to one Parquet column writer per field: the same schema,
 * encodings, statistics and footer as parquet-avro's writer (but for decimals and timestamps in milliseconds, stored
 * as Iceberg stores them: {@link #parquetSchema}), without a {@code GenericRecord}, a record consumer or a
 * type dispatch per value. The columns are split into {@link Group}s, each with its own column store, so that two
 * threads can encode the same rows' columns side by side; they meet at row group boundaries, where
 * {@link #endRowGroup} writes every column's chunk in schema order.
 */
final class ColumnRowWriter implements Closeable {

    private static final String AVRO_SCHEMA_METADATA_KEY = "parquet.avro.schema";
    private static final String OBJECT_MODEL_NAME = "avro";

    private final Schema schema;
    private final MessageType parquetSchema;
    private final ParquetProperties properties;
    private final PerThreadCompressor compressor;
    private final ParquetFileWriter file;
    private final long rowGroupSize;
    private final Group[] groups;
    private ColumnChunkPageWriteStore pages;
    private int rowGroupOrdinal;
    private boolean closed;

    /**
     * {@code fieldGroups}: the schema field positions of each group; together every field exactly once.
     * {@code fieldIds}: the Iceberg field id of each schema field, written into the Parquet schema so that the file
     * is a data file of the table as it is.
     */
    ColumnRowWriter(OutputFile output, Schema schema, int[] fieldIds, CompressionCodecName codec, long rowGroupSize,
            int pageSize, int[][] fieldGroups) throws IOException {
        this.schema = schema;
        this.parquetSchema = parquetSchema(schema, fieldIds);
        // no size statistics (each value's size and levels counted, for the footer): no reader we load for uses them
        this.properties = ParquetProperties.builder().withPageSize(pageSize).withSizeStatisticsEnabled(false)
                .withValuesWriterFactory(new PlainValuesWriters()).build();
        this.rowGroupSize = rowGroupSize;
        this.compressor = new PerThreadCompressor(codec, pageSize);
        this.groups = new Group[fieldGroups.length];
        for (int g = 0; g < groups.length; g++) {
            groups[g] = new Group(fieldGroups[g]);
        }
        this.file = new ParquetFileWriter(output, parquetSchema, ParquetFileWriter.Mode.CREATE, rowGroupSize, 0,
                null, properties);
        file.start();
        startRowGroup();
    }

    /**
     * parquet-avro's Parquet schema of {@code schema}, but for decimals stored as ints, longs or fixed of the fewest
     * bytes ({@link AvroSchemas#storedType}) and timestamps in microseconds ({@link AvroSchemas#storedAsMicros}),
     * adjusted to UTC unless they are wall-clock times (local-timestamp-*), with the field ids: a data file as
     * Iceberg's spec has it.
     */
    static MessageType parquetSchema(Schema schema, int[] fieldIds) {
        MessageType parquet = new AvroSchemaConverter().convert(schema);
        List<Type> fields = new ArrayList<>(parquet.getFieldCount());
        for (int i = 0; i < parquet.getFieldCount(); i++) {
            Type field = parquet.getType(i);
            Schema type = AvroSchemas.nonNull(schema.getFields().get(i).schema());
            Schema.Type stored = AvroSchemas.storedType(type);
            if (stored == Schema.Type.FIXED) {
                int precision = ((LogicalTypes.Decimal) type.getLogicalType()).getPrecision();
                field = Types.primitive(PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY, field.getRepetition())
                        .length(AvroSchemas.decimalBytes(precision))
                        .as(field.getLogicalTypeAnnotation())
                        .named(field.getName());
            } else if (stored != type.getType()) {
                field = Types.primitive(stored == Schema.Type.INT ? PrimitiveTypeName.INT32 : PrimitiveTypeName.INT64,
                                field.getRepetition())
                        .as(field.getLogicalTypeAnnotation())
                        .named(field.getName());
            } else if (AvroSchemas.storedAsMicros(type)) {
                field = Types.primitive(PrimitiveTypeName.INT64, field.getRepetition())
                        .as(LogicalTypeAnnotation.timestampType(!AvroSchemas.isLocalTimestamp(type),
                                LogicalTypeAnnotation.TimeUnit.MICROS))
                        .named(field.getName());
            }
            fields.add(field.withId(fieldIds[i]));
        }
        return new MessageType(parquet.getName(), fields);
    }

    /**
     * The Avro schema parquet-avro's readers take from the footer, as parquet-avro's writer leaves it; none when a
     * field is stored otherwise (a decimal as an int or long, which Avro's decimal cannot describe, or as a fixed of
     * another size than Avro's, a timestamp-millis in microseconds): such readers then derive the schema from the
     * Parquet one.
     */
    private static Map<String, String> footerMetadata(Schema schema) {
        boolean asAvro = schema.getFields().stream()
                .map(field -> AvroSchemas.nonNull(field.schema()))
                .allMatch(AvroSchemas::storedAsAvroWrites);
        return asAvro
                ? Map.of(AVRO_SCHEMA_METADATA_KEY, schema.toString(), ParquetWriter.OBJECT_MODEL_NAME_PROP,
                        OBJECT_MODEL_NAME)
                : Map.of();
    }

    Group group(int index) {
        return groups[index];
    }

    /** Whether the row group is about full, by the sizes the groups last {@linkplain Group#publishSize published}. */
    boolean rowGroupFull() {
        long buffered = 0;
        long rows = groups[0].rows;
        for (Group group : groups) {
            buffered += group.bufferedSize;
        }
        // room for one more batch of rows of the average size
        long rowSize = rows == 0 ? 0 : buffered / rows;
        return buffered + rowSize * CsvBatches.MAX_RECORDS_PER_BATCH > rowGroupSize;
    }

    /** Writes the row group; no group may be written meanwhile. */
    void endRowGroup() throws IOException {
        long rows = groups[0].rows;
        for (Group group : groups) {
            if (group.rows != rows) {
                throw new IllegalStateException("the column groups wrote " + group.rows + " and " + rows + " rows");
            }
        }
        if (rows > 0) {
            file.startBlock(rows);
            for (Group group : groups) {
                group.columns.flush();
            }
            pages.flushToFileWriter(file);
            file.endBlock();
        }
        for (Group group : groups) {
            group.columns.close();
        }
        pages.close();
    }

    /**
     * Writes the last row group and the footer; no group may be written meanwhile. If that fails (a full disk), the
     * file is closed all the same: the caller deletes it, and an open file deleted keeps its space taken.
     */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        boolean ended = false;
        try {
            endRowGroup();
            file.end(footerMetadata(schema));
            ended = true;
        } finally {
            try {
                if (!ended) {
                    closeQuietly();
                }
            } finally {
                compressor.release();
            }
        }
    }

    private void closeQuietly() {
        try {
            file.close();
        } catch (IOException | RuntimeException e) {
            // the write's own failure is the one reported
        }
    }

    /**
     * Gives the file up, unfinished, unless {@link #close} ran: the caller deletes it. Closing it may fail as its
     * writing did (a full disk flushing the last bytes); the writing's failure is the one reported.
     */
    void abandon() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            closeQuietly();
        } finally {
            compressor.release();
        }
    }

    /** After {@link #endRowGroup}: a new row group to write into. */
    void startRowGroup() {
        pages = new ColumnChunkPageWriteStore(compressor, parquetSchema, properties.getAllocator(),
                properties.getColumnIndexTruncateLength(), properties.getPageWriteChecksumEnabled(), null,
                rowGroupOrdinal++);
        for (Group group : groups) {
            group.start();
        }
    }

    /**
     * Some of the columns, with their own column store over the shared page store: written by one thread at a time,
     * row by row, the same rows as every other group.
     */
    final class Group {

        private final int[] fields;
        private final MessageType schema;
        private ColumnWriteStore columns;
        private ColumnWriter[] writers;
        private long rows;
        private volatile long bufferedSize;

        private Group(int[] fields) {
            this.fields = fields.clone();
            List<Type> types = new ArrayList<>();
            for (int field : fields) {
                types.add(parquetSchema.getType(field));
            }
            this.schema = new MessageType(parquetSchema.getName(), types);
        }

        /** Writes this group's values of the row the encoders (one per schema field) read last. */
        void write(FieldEncoder[] row) {
            ColumnWriter[] w = writers;
            int[] f = fields;
            for (int i = 0; i < f.length; i++) {
                row[f[i]].write(w[i]);
            }
            columns.endRecord();
            rows++;
        }

        int[] fields() {
            return fields;
        }

        /** Makes the buffered size visible to {@link #rowGroupFull} on another thread. */
        void publishSize() {
            bufferedSize = columns.getBufferedSize();
        }

        private void start() {
            // the page store finds each column's page writer by its path, so a store over part of the schema works
            columns = properties.newColumnWriteStore(schema, pages, pages);
            List<ColumnDescriptor> descriptors = schema.getColumns();
            writers = new ColumnWriter[descriptors.size()];
            for (int c = 0; c < writers.length; c++) {
                writers[c] = columns.getColumnWriter(descriptors.get(c));
            }
            rows = 0;
            bufferedSize = 0;
        }
    }

    /**
     * The page store's compressor, one per thread: a codec's compressor reuses its output buffer, and the groups' pages
     * are compressed on their own threads.
     */
    private static final class PerThreadCompressor implements CompressionCodecFactory.BytesInputCompressor {

        private final CompressionCodecName codec;
        private final int pageSize;
        private final List<CodecFactory> factories = new ArrayList<>();
        private final ThreadLocal<CompressionCodecFactory.BytesInputCompressor> compressors;

        PerThreadCompressor(CompressionCodecName codec, int pageSize) {
            this.codec = codec;
            this.pageSize = pageSize;
            this.compressors = ThreadLocal.withInitial(this::newCompressor);
        }

        private synchronized CompressionCodecFactory.BytesInputCompressor newCompressor() {
            CodecFactory factory = new CodecFactory(new Configuration(false), pageSize);
            factories.add(factory);
            return factory.getCompressor(codec);
        }

        @Override
        public BytesInput compress(BytesInput bytes) throws IOException {
            return compressors.get().compress(bytes);
        }

        @Override
        public CompressionCodecName getCodecName() {
            return codec;
        }

        @Override
        public synchronized void release() {
            factories.forEach(CodecFactory::release);
            factories.clear();
        }
    }
}
