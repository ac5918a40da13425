package lake;

import java.util.IdentityHashMap;
import java.util.Map;

import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.iceberg.avro.AvroSchemaUtil;

/**
 * The Iceberg schema of an Avro schema, by {@link AvroSchemaUtil#toIceberg}. Avro's {@code timestamp-millis} and
 * {@code timestamp-micros} are instants, and parquet-avro writes them adjusted to UTC, so they become Iceberg
 * {@code timestamptz}; Iceberg's converter would make them {@code timestamp} unless marked {@code adjust-to-utc}.
 */
final class AvroToIceberg {

    private AvroToIceberg() {
    }

    static org.apache.iceberg.Schema convert(Schema avro) {
        Schema copy = new Schema.Parser().parse(avro.toString());
        markInstants(copy, new IdentityHashMap<>());
        return AvroSchemaUtil.toIceberg(copy);
    }

    private static void markInstants(Schema schema, Map<Schema, Boolean> seen) {
        if (seen.put(schema, Boolean.TRUE) != null) {
            return;
        }
        LogicalType logical = schema.getLogicalType();
        if ((logical instanceof LogicalTypes.TimestampMillis || logical instanceof LogicalTypes.TimestampMicros)
            && schema.getObjectProp(AvroSchemaUtil.ADJUST_TO_UTC_PROP) == null) {
            schema.addProp(AvroSchemaUtil.ADJUST_TO_UTC_PROP, true);
        }
        switch (schema.getType()) {
            case RECORD -> schema.getFields().forEach(f -> markInstants(f.schema(), seen));
            case UNION -> schema.getTypes().forEach(t -> markInstants(t, seen));
            case ARRAY -> markInstants(schema.getElementType(), seen);
            case MAP -> markInstants(schema.getValueType(), seen);
            default -> { }
        }
    }
}
