package convert;

import java.util.List;

import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;

/**
 * A column's type as schema inference sees it: the narrowest that holds every value seen so far, ordered so that two
 * types always have a narrowest common one ({@link #join}): int, long, decimal, double; date, timestamp (wall-clock),
 * timestamptz (instants); boolean; and string, which holds anything. A column that had an empty value is nullable.
 * Widening never loses a digit: a decimal widens to more digits up to 38 and then to a string, not to a double, and a
 * double takes exact numbers only while they have at most 15 digits (a double writes them back as they were).
 */
record ColumnType(Kind kind, int integerDigits, int scale, boolean nullable) {

    /** NONE: no value seen yet, only empty ones. */
    enum Kind { NONE, BOOLEAN, INT, LONG, DECIMAL, FLOAT, DOUBLE, DATE, LOCAL_TIMESTAMP, TIMESTAMP, STRING }

    static final int MAX_DECIMAL_DIGITS = 38;
    /** Digits a double gives back exactly as written. */
    static final int EXACT_DOUBLE_DIGITS = 15;
    /** The precision of an inferred decimal when its values need no more: stored as a long, room to grow. */
    static final int DECIMAL_PRECISION = 18;
    private static final int INT_DIGITS = 10;
    private static final int LONG_DIGITS = 19;

    static final ColumnType NONE = of(Kind.NONE);
    static final ColumnType BOOLEAN = of(Kind.BOOLEAN);
    static final ColumnType INT = new ColumnType(Kind.INT, INT_DIGITS, 0, false);
    static final ColumnType LONG = new ColumnType(Kind.LONG, LONG_DIGITS, 0, false);
    static final ColumnType DOUBLE = of(Kind.DOUBLE);
    static final ColumnType DATE = of(Kind.DATE);
    static final ColumnType LOCAL_TIMESTAMP = of(Kind.LOCAL_TIMESTAMP);
    static final ColumnType TIMESTAMP = of(Kind.TIMESTAMP);
    static final ColumnType STRING = of(Kind.STRING);

    private static final List<Kind> EXACT = List.of(Kind.INT, Kind.LONG, Kind.DECIMAL);
    private static final List<Kind> TEMPORAL = List.of(Kind.DATE, Kind.LOCAL_TIMESTAMP, Kind.TIMESTAMP);

    private static ColumnType of(Kind kind) {
        return new ColumnType(kind, 0, 0, false);
    }

    /** A decimal of the digits given; a string beyond 38 of them. */
    static ColumnType decimal(int integerDigits, int scale) {
        return integerDigits + scale > MAX_DECIMAL_DIGITS ? STRING : new ColumnType(Kind.DECIMAL, integerDigits, scale,
                false);
    }

    ColumnType asNullable() {
        return nullable ? this : new ColumnType(kind, integerDigits, scale, true);
    }

    /** The narrowest type that holds the values of both. */
    ColumnType join(ColumnType other) {
        ColumnType joined = joinKinds(this, other);
        return nullable || other.nullable ? joined.asNullable() : joined;
    }

    private static ColumnType joinKinds(ColumnType a, ColumnType b) {
        if (a.kind == Kind.NONE || a.equalsIgnoringNull(b)) {
            return b.nullable ? new ColumnType(b.kind, b.integerDigits, b.scale, false) : b;
        }
        if (b.kind == Kind.NONE) {
            return joinKinds(b, a);
        }
        if (EXACT.contains(a.kind) && EXACT.contains(b.kind)) {
            if (a.kind == Kind.DECIMAL || b.kind == Kind.DECIMAL) {
                return decimal(Math.max(a.integerDigits, b.integerDigits), Math.max(a.scale, b.scale));
            }
            return LONG;
        }
        if (isFloating(a) || isFloating(b)) {
            ColumnType floating = isFloating(a) ? a : b;
            ColumnType other = floating == a ? b : a;
            if (isFloating(other)) {
                return a.kind == Kind.FLOAT && b.kind == Kind.FLOAT ? a : DOUBLE;
            }
            if (EXACT.contains(other.kind)) {
                // a double gives back up to 15 digits as written; a float column is the table's choice
                return floating.kind == Kind.FLOAT || other.integerDigits + other.scale <= EXACT_DOUBLE_DIGITS
                        ? floating : STRING;
            }
            return STRING;
        }
        if (TEMPORAL.contains(a.kind) && TEMPORAL.contains(b.kind)) {
            return TEMPORAL.indexOf(a.kind) > TEMPORAL.indexOf(b.kind) ? a : b;
        }
        return STRING;
    }

    private boolean equalsIgnoringNull(ColumnType other) {
        return kind == other.kind && integerDigits == other.integerDigits && scale == other.scale;
    }

    private static boolean isFloating(ColumnType type) {
        return type.kind == Kind.FLOAT || type.kind == Kind.DOUBLE;
    }

    /**
     * The Avro type of a field of this type: a decimal of 18 digits when its values need no more (stored as a long,
     * room for larger values later), else 38; a column with nothing but empty values is a string.
     */
    Schema avro() {
        Schema type = switch (kind) {
            case NONE, STRING -> Schema.create(Schema.Type.STRING);
            case BOOLEAN -> Schema.create(Schema.Type.BOOLEAN);
            case INT -> Schema.create(Schema.Type.INT);
            case LONG -> Schema.create(Schema.Type.LONG);
            case FLOAT -> Schema.create(Schema.Type.FLOAT);
            case DOUBLE -> Schema.create(Schema.Type.DOUBLE);
            case DECIMAL -> LogicalTypes.decimal(
                    integerDigits + scale <= DECIMAL_PRECISION ? DECIMAL_PRECISION : MAX_DECIMAL_DIGITS, scale)
                    .addToSchema(Schema.create(Schema.Type.BYTES));
            case DATE -> LogicalTypes.date().addToSchema(Schema.create(Schema.Type.INT));
            case LOCAL_TIMESTAMP -> LogicalTypes.localTimestampMicros().addToSchema(Schema.create(Schema.Type.LONG));
            case TIMESTAMP -> LogicalTypes.timestampMicros().addToSchema(Schema.create(Schema.Type.LONG));
        };
        return nullable || kind == Kind.NONE
                ? Schema.createUnion(Schema.create(Schema.Type.NULL), type) : type;
    }

    /** The type of a field of {@code schema} (a supported type, or {@code ["null", T]} of one). */
    static ColumnType of(Schema schema) {
        Schema type = AvroSchemas.nonNull(schema);
        LogicalType logical = type.getLogicalType();
        ColumnType column;
        if (logical instanceof LogicalTypes.Decimal decimal) {
            column = decimal(decimal.getPrecision() - decimal.getScale(), decimal.getScale());
        } else if (logical instanceof LogicalTypes.Date) {
            column = DATE;
        } else if (AvroSchemas.isLocalTimestamp(type)) {
            column = LOCAL_TIMESTAMP;
        } else if (logical != null) {
            column = TIMESTAMP;
        } else {
            column = switch (type.getType()) {
                case BOOLEAN -> BOOLEAN;
                case INT -> INT;
                case LONG -> LONG;
                case FLOAT -> of(Kind.FLOAT);
                case DOUBLE -> DOUBLE;
                default -> STRING;
            };
        }
        return AvroSchemas.isNullable(schema) ? column.asNullable() : column;
    }

    /** As the table will have it, as Iceberg names types: {@code decimal(18,3)}, {@code timestamptz}. */
    String describe() {
        return switch (kind) {
            case NONE, STRING -> "string";
            case DECIMAL -> "decimal(" + (integerDigits + scale <= DECIMAL_PRECISION ? DECIMAL_PRECISION
                    : MAX_DECIMAL_DIGITS) + "," + scale + ")";
            case LOCAL_TIMESTAMP -> "timestamp";
            case TIMESTAMP -> "timestamptz";
            default -> kind.name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    /** {@link #describe}, with "(optional)" when the column may be null. */
    String describeWithNulls() {
        return describe() + (nullable || kind == Kind.NONE ? " (optional)" : "");
    }
}
