package convert;

import java.math.BigInteger;

import config.ConvertConfig;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;

/**
 * The narrowest {@link ColumnType} of one CSV value, as schema inference reads values: a number in the forms of
 * {@link NumberText}, {@code true} or {@code false}, a date of {@code pipeline.convert.dateFormat}, a timestamp of
 * {@code pipeline.convert.timestampFormat} with an offset (timestamptz) or without (timestamp), else a string. Each
 * type's converter accepts every value given that type, so a column converted with the type its values were given
 * never fails on them.
 */
final class ValueTypes {

    private static final BigInteger MIN_LONG = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger MAX_LONG = BigInteger.valueOf(Long.MAX_VALUE);

    private final String nullString;
    private final FieldConverter date;
    private final FieldConverter wallClock;
    private final FieldConverter instant;
    private final FieldConverter floating;

    ValueTypes(ConvertConfig config) {
        this.nullString = config.nullString();
        this.date = FieldConverters.forType(LogicalTypes.date().addToSchema(Schema.create(Schema.Type.INT)), config);
        this.wallClock = FieldConverters.forType(
                LogicalTypes.localTimestampMicros().addToSchema(Schema.create(Schema.Type.LONG)), config);
        this.instant = FieldConverters.forType(
                LogicalTypes.timestampMicros().addToSchema(Schema.create(Schema.Type.LONG)), config);
        Schema doubleType = Schema.create(Schema.Type.DOUBLE);
        this.floating = FieldConverters.asInferred(doubleType, FieldConverters.forType(doubleType, config));
    }

    /** An empty value, or {@code pipeline.convert.nullString}: a null. */
    boolean isNull(String text) {
        return text.isEmpty() || text.equals(nullString);
    }

    /** The type of a value that is not null; {@code hint}, the column's type so far, is tried first. */
    ColumnType of(String text, ColumnType hint) {
        NumberText.Digits digits = NumberText.exact(text);
        if (digits != null) {
            return exact(text, digits);
        }
        if (NumberText.isFloating(text)) {
            return accepts(floating, text) ? ColumnType.DOUBLE : ColumnType.STRING;
        }
        if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
            return ColumnType.BOOLEAN;
        }
        return temporal(text, hint.kind());
    }

    private static ColumnType exact(String text, NumberText.Digits digits) {
        if (digits.point()) {
            return ColumnType.decimal(digits.integer(), digits.scale());
        }
        if (digits.integer() <= 9) {
            return ColumnType.INT;
        }
        if (digits.integer() > 19) {
            return ColumnType.decimal(digits.integer(), 0);
        }
        BigInteger value = new BigInteger(text);
        if (value.bitLength() < 32) {
            return ColumnType.INT;
        }
        return value.compareTo(MIN_LONG) >= 0 && value.compareTo(MAX_LONG) <= 0
                ? ColumnType.LONG : ColumnType.decimal(digits.integer(), 0);
    }

    // a date, else a wall-clock timestamp (which takes dates too), else an instant (which takes both). A column of
    // timestamps tries its own first, where its values usually are: whatever else the value is, the column stays one
    private ColumnType temporal(String text, ColumnType.Kind hint) {
        if (text.length() > 64) {
            return ColumnType.STRING;
        }
        if (hint == ColumnType.Kind.TIMESTAMP) {
            return accepts(instant, text) ? ColumnType.TIMESTAMP : ColumnType.STRING;
        }
        if (hint == ColumnType.Kind.LOCAL_TIMESTAMP && accepts(wallClock, text)) {
            return ColumnType.LOCAL_TIMESTAMP;
        }
        if (accepts(date, text)) {
            return ColumnType.DATE;
        }
        if (accepts(wallClock, text)) {
            return ColumnType.LOCAL_TIMESTAMP;
        }
        return accepts(instant, text) ? ColumnType.TIMESTAMP : ColumnType.STRING;
    }

    private static boolean accepts(FieldConverter converter, String text) {
        try {
            converter.convert(text);
            return true;
        } catch (InvalidValueException e) {
            return false;
        }
    }
}
