package convert;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericFixed;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroSchemaConverter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.MessageType;

/**
 * Writes a row of values from {@link FieldConverters} (one per schema field, in schema order, {@code null} for null)
 * straight to Parquet's {@link RecordConsumer}: the same Parquet schema and footer as parquet-avro's writer, without a
 * {@code GenericRecord} per row or a type dispatch per value.
 */
final class AvroRowWriteSupport extends WriteSupport<Object[]> {

    private static final String AVRO_SCHEMA_METADATA_KEY = "parquet.avro.schema";

    private final Schema schema;
    private final MessageType parquetSchema;
    private final String[] names;
    private final ValueWriter[] writers;
    private RecordConsumer consumer;

    AvroRowWriteSupport(Schema schema) {
        this.schema = schema;
        this.parquetSchema = new AvroSchemaConverter().convert(schema);
        List<Schema.Field> fields = schema.getFields();
        this.names = new String[fields.size()];
        this.writers = new ValueWriter[fields.size()];
        for (Schema.Field field : fields) {
            names[field.pos()] = field.name();
            writers[field.pos()] = writer(AvroSchemas.nonNull(field.schema()));
        }
    }

    @Override
    public String getName() {
        return "avro";
    }

    @Override
    public WriteContext init(Configuration configuration) {
        return new WriteContext(parquetSchema, Map.of(AVRO_SCHEMA_METADATA_KEY, schema.toString()));
    }

    @Override
    public void prepareForWrite(RecordConsumer recordConsumer) {
        this.consumer = recordConsumer;
    }

    @Override
    public void write(Object[] values) {
        RecordConsumer c = consumer;
        c.startMessage();
        for (int f = 0; f < values.length; f++) {
            Object value = values[f];
            if (value != null) {
                c.startField(names[f], f);
                writers[f].write(c, value);
                c.endField(names[f], f);
            }
        }
        c.endMessage();
    }

    /** The values FieldConverters produces for each Avro type, as parquet-avro writes them. */
    private static ValueWriter writer(Schema type) {
        return switch (type.getType()) {
            case INT -> (c, v) -> c.addInteger((Integer) v);
            case LONG -> (c, v) -> c.addLong((Long) v);
            case FLOAT -> (c, v) -> c.addFloat((Float) v);
            case DOUBLE -> (c, v) -> c.addDouble((Double) v);
            case BOOLEAN -> (c, v) -> c.addBoolean((Boolean) v);
            // FieldConverters encodes strings already: an array-backed Binary (Binary.fromString wraps a ByteBuffer,
            // slower to hash, compare and copy in the dictionary and the statistics)
            case STRING -> (c, v) -> c.addBinary((Binary) v);
            case BYTES -> (c, v) -> c.addBinary(Binary.fromConstantByteBuffer((ByteBuffer) v));
            case FIXED -> (c, v) -> c.addBinary(Binary.fromConstantByteArray(((GenericFixed) v).bytes()));
            default -> throw new IllegalStateException("AvroSchemas.load lets no " + type + " through");
        };
    }

    @FunctionalInterface
    private interface ValueWriter {
        void write(RecordConsumer consumer, Object value);
    }
}
