package convert;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import config.ConfigurationException;
import config.Names;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * Loads the Avro record schema that describes the Parquet file, and checks that every field type is supported and every
 * field name is one S3 Tables and Athena accept.
 */
public final class AvroSchemas {

    static final String PROPERTY = "pipeline.convert.schema";
    private static final String CLASSPATH = "classpath:";

    private AvroSchemas() {
    }

    /** Loads {@code location} ({@code classpath:...} or a file path); any problem is a {@link ConfigurationException}. */
    public static Schema load(String location) {
        Schema schema;
        try (InputStream in = open(location)) {
            schema = new Schema.Parser().parse(in);
        } catch (NoSuchFileException e) {
            throw problem(location, "no such file");
        } catch (IOException | SchemaParseException e) {
            throw problem(location, "not a valid Avro schema: " + e.getMessage());
        }
        if (schema.getType() != Schema.Type.RECORD) {
            throw problem(location, "the schema must be a record, was " + schema.getType().getName());
        }
        List<String> unsupported = new ArrayList<>();
        for (Schema.Field field : schema.getFields()) {
            String why = unsupported(field.schema());
            if (why != null) {
                unsupported.add("field " + field.name() + " has type " + why);
            }
        }
        if (!unsupported.isEmpty()) {
            throw problem(location, String.join("; ", unsupported) + " (supported: int, long, float, double, boolean,"
                    + " string, date, timestamp-millis, timestamp-micros, local-timestamp-millis,"
                    + " local-timestamp-micros, decimal, and [\"null\", one of those])");
        }
        List<String> badNames = schema.getFields().stream().map(Schema.Field::name)
                .filter(name -> !Names.isValidColumn(name)).toList();
        if (!badNames.isEmpty()) {
            throw problem(location, "the field name(s) " + String.join(", ", badNames) + " must be "
                    + Names.COLUMN_RULE + "; write them in lower case: a CSV header matches its field whatever"
                    + " its case");
        }
        return schema;
    }

    /** Whether a timestamp of {@code type} is a wall-clock time without a zone (Iceberg {@code timestamp}). */
    static boolean isLocalTimestamp(Schema type) {
        return type.getLogicalType() instanceof LogicalTypes.LocalTimestampMillis
                || type.getLogicalType() instanceof LogicalTypes.LocalTimestampMicros;
    }

    /** The non-null branch of a {@code ["null", T]} union, or the schema itself. */
    static Schema nonNull(Schema schema) {
        if (schema.getType() == Schema.Type.UNION) {
            for (Schema branch : schema.getTypes()) {
                if (branch.getType() != Schema.Type.NULL) {
                    return branch;
                }
            }
        }
        return schema;
    }

    /**
     * The type a value of {@code type} (non-null) is written as. Decimals are stored as Iceberg's spec stores them in
     * Parquet: the unscaled value as an int up to 9 digits, a long up to 18, else a fixed of {@link #decimalBytes}.
     * Spark's Parquet reader fails on a decimal of up to 18 digits stored as bytes ("Parquet column cannot be
     * converted"), Iceberg's vectorized one on wider decimals of any other width ("bitWidth invalid: 0"). Every other
     * type is its own (timestamps, longs, in the unit of {@link #storedAsMicros}).
     */
    static Schema.Type storedType(Schema type) {
        if (type.getLogicalType() instanceof LogicalTypes.Decimal decimal) {
            int precision = decimal.getPrecision();
            return precision <= 9 ? Schema.Type.INT : precision <= 18 ? Schema.Type.LONG : Schema.Type.FIXED;
        }
        return type.getType();
    }

    /** The fewest bytes that hold every unscaled value of {@code precision} digits, sign included. */
    static int decimalBytes(int precision) {
        return (BigInteger.TEN.pow(precision).subtract(BigInteger.ONE).bitLength() + 1 + 7) / 8;
    }

    /**
     * Whether a timestamp of {@code type} is written in microseconds: all are, the millisecond ones too (their values
     * times 1,000), as Iceberg's spec stores timestamps in Parquet; Iceberg's vectorized reader in Spark fails on a
     * millisecond column ("TimeStampMicroTZVector cannot be cast to BigIntVector").
     */
    static boolean storedAsMicros(Schema type) {
        return type.getLogicalType() instanceof LogicalTypes.TimestampMillis
                || type.getLogicalType() instanceof LogicalTypes.TimestampMicros
                || isLocalTimestamp(type);
    }

    /** Whether a value of {@code type} is written as parquet-avro writes it, so that Avro's schema describes it. */
    static boolean storedAsAvroWrites(Schema type) {
        if (type.getLogicalType() instanceof LogicalTypes.Decimal decimal) {
            return type.getType() == Schema.Type.FIXED && storedType(type) == Schema.Type.FIXED
                    && type.getFixedSize() == decimalBytes(decimal.getPrecision());
        }
        return !(type.getLogicalType() instanceof LogicalTypes.TimestampMillis
                 || type.getLogicalType() instanceof LogicalTypes.LocalTimestampMillis);
    }

    static boolean isNullable(Schema schema) {
        return schema.getType() == Schema.Type.UNION;
    }

    private static String unsupported(Schema schema) {
        if (schema.getType() == Schema.Type.UNION) {
            List<Schema> types = schema.getTypes();
            boolean nullableOfOne = types.size() == 2
                    && (types.get(0).getType() == Schema.Type.NULL) != (types.get(1).getType() == Schema.Type.NULL);
            if (!nullableOfOne) {
                return schema.toString() + ", only [\"null\", T] unions are supported";
            }
            String why = unsupported(nonNull(schema));
            return why == null ? null : schema.toString();
        }
        LogicalType logical = schema.getLogicalType();
        if (logical != null) {
            boolean supported = logical instanceof LogicalTypes.Date
                    || logical instanceof LogicalTypes.TimestampMillis
                    || logical instanceof LogicalTypes.TimestampMicros
                    || logical instanceof LogicalTypes.LocalTimestampMillis
                    || logical instanceof LogicalTypes.LocalTimestampMicros
                    || logical instanceof LogicalTypes.Decimal;
            return supported ? null : schema.toString();
        }
        return switch (schema.getType()) {
            case INT, LONG, FLOAT, DOUBLE, BOOLEAN, STRING -> null;
            default -> schema.toString();
        };
    }

    private static InputStream open(String location) throws IOException {
        if (location.startsWith(CLASSPATH)) {
            String resource = location.substring(CLASSPATH.length()).replaceFirst("^/", "");
            InputStream in = AvroSchemas.class.getClassLoader().getResourceAsStream(resource);
            if (in == null) {
                throw new NoSuchFileException(location);
            }
            return in;
        }
        return Files.newInputStream(Path.of(location));
    }

    private static ConfigurationException problem(String location, String message) {
        return new ConfigurationException(PROPERTY + " = " + location + ": " + message);
    }
}
