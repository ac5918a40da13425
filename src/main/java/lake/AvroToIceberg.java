package lake;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.iceberg.avro.AvroSchemaUtil;

/**
 * The Iceberg schema of an Avro schema, by {@link AvroSchemaUtil#toIceberg}. Avro's {@code timestamp-millis} and
 * {@code timestamp-micros} are instants, and parquet-avro writes them adjusted to UTC, so they become Iceberg
 * {@code timestamptz}; Iceberg's converter would make them {@code timestamp} unless marked {@code adjust-to-utc}.
 * Avro's {@code local-timestamp-millis} and {@code local-timestamp-micros} are wall-clock times, which Iceberg's
 * converter does not know: they become {@code timestamp}, without a zone.
 */
final class AvroToIceberg {

    private AvroToIceberg() {
    }

    static org.apache.iceberg.Schema convert(Schema avro) {
        Schema copy = new Schema.Parser().parse(avro.toString());
        markInstants(copy, new IdentityHashMap<>());
        return AvroSchemaUtil.toIceberg(wallClockAsTimestamps(copy, new IdentityHashMap<>()));
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

    /** The schema with each local-timestamp a timestamp not adjusted to UTC, as Iceberg's converter reads one. */
    private static Schema wallClockAsTimestamps(Schema schema, Map<Schema, Schema> copied) {
        Schema done = copied.get(schema);
        if (done != null) {
            return done;
        }
        LogicalType logical = schema.getLogicalType();
        Schema copy = switch (schema.getType()) {
            case LONG -> {
                if (logical instanceof LogicalTypes.LocalTimestampMillis
                    || logical instanceof LogicalTypes.LocalTimestampMicros) {
                    Schema timestamp = (logical instanceof LogicalTypes.LocalTimestampMillis
                            ? LogicalTypes.timestampMillis() : LogicalTypes.timestampMicros())
                            .addToSchema(Schema.create(Schema.Type.LONG));
                    timestamp.addProp(AvroSchemaUtil.ADJUST_TO_UTC_PROP, false);
                    yield timestamp;
                }
                yield schema;
            }
            case RECORD -> {
                Schema record = Schema.createRecord(schema.getName(), schema.getDoc(), schema.getNamespace(),
                        schema.isError());
                copied.put(schema, record);
                List<Schema.Field> fields = new ArrayList<>();
                for (Schema.Field field : schema.getFields()) {
                    Schema.Field f = new Schema.Field(field.name(), wallClockAsTimestamps(field.schema(), copied),
                            field.doc(), field.hasDefaultValue() ? field.defaultVal() : null, field.order());
                    field.getObjectProps().forEach(f::addProp);
                    fields.add(f);
                }
                record.setFields(fields);
                schema.getObjectProps().forEach(record::addProp);
                yield record;
            }
            case UNION -> Schema.createUnion(schema.getTypes().stream()
                    .map(t -> wallClockAsTimestamps(t, copied)).toList());
            case ARRAY -> withProps(schema, Schema.createArray(wallClockAsTimestamps(schema.getElementType(),
                    copied)));
            case MAP -> withProps(schema, Schema.createMap(wallClockAsTimestamps(schema.getValueType(), copied)));
            default -> schema;
        };
        copied.put(schema, copy);
        return copy;
    }

    private static Schema withProps(Schema from, Schema to) {
        from.getObjectProps().forEach(to::addProp);
        return to;
    }
}
