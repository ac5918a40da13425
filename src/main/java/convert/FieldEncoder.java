package convert;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import config.ConvertConfig;
import org.apache.avro.Schema;
import org.apache.parquet.column.ColumnWriter;
import org.apache.parquet.io.api.Binary;

/**
 * Turns one field's CSV value, as UTF-8 bytes in a {@link CsvBatch}, into its Parquet column: {@link #read} checks and
 * converts a record's value, {@link #write} writes it once every field of the record was read without a problem, so
 * a rejected record leaves nothing behind. Strings go to Parquet as the bytes read, ints and longs are parsed from
 * them; every other type, and any number that is not plain ASCII digits, goes through the text converters of
 * {@link FieldConverters}, which decide what is valid. The schema is flat (every field a required or
 * {@code ["null", T]} primitive), so a value's repetition level is 0 and its definition level 1 when nullable.
 */
abstract class FieldEncoder {

    /** The definition level of a value; a null is one less. */
    final int level;
    final boolean nullable;
    final byte[] nullString;
    private byte[] unescaped = new byte[64];
    // the value read, for the encoders that keep it as bytes
    byte[] bytes;
    int offset;
    int length;
    boolean isNull;

    FieldEncoder(Schema.Field field, ConvertConfig config) {
        this.nullable = AvroSchemas.isNullable(field.schema());
        this.level = nullable ? 1 : 0;
        this.nullString = config.nullString().getBytes(StandardCharsets.UTF_8);
    }

    /** {@code converter} is the field's {@link FieldConverters#forField}: what the encoder falls back on. */
    static FieldEncoder forField(Schema.Field field, ConvertConfig config, FieldConverter converter) {
        return forField(field, config, converter, false);
    }

    /**
     * {@code inferred}: the field's type was inferred, and the converter reads values as the inference does; so does
     * the encoder (a required string takes no empty value, a whole number no leading zero).
     */
    static FieldEncoder forField(Schema.Field field, ConvertConfig config, FieldConverter converter,
                                 boolean inferred) {
        Schema type = AvroSchemas.nonNull(field.schema());
        if (type.getLogicalType() == null) {
            switch (type.getType()) {
                case STRING:
                    return new Text(field, config, inferred && !AvroSchemas.isNullable(field.schema()));
                case INT:
                    return new Whole(field, config, converter, true, inferred);
                case LONG:
                    return new Whole(field, config, converter, false, inferred);
                default:
                    break;
            }
        }
        return new Converted(field, config, converter, type);
    }

    /** An encoder for a field the CSV has no column for: always null. */
    static FieldEncoder missing(Schema.Field field, ConvertConfig config) {
        FieldEncoder encoder = new Text(field, config, false);
        encoder.isNull = true;
        return encoder;
    }

    /** Checks and converts the value of {@code field} in {@code batch}; the batch must not change before write. */
    abstract void read(CsvBatch batch, int field) throws InvalidValueException;

    abstract void write(ColumnWriter writer);

    /** Whether {@link #read} may reject a value; a string never does. */
    boolean mayReject() {
        return true;
    }

    /** Points {@link #bytes}, {@link #offset}, {@link #length} at the value, quotes undoubled; sets {@link #isNull}. */
    final void slice(CsvBatch batch, int field) {
        if (batch.escaped(field)) {
            int n = batch.end(field) - batch.start(field);
            if (unescaped.length < n) {
                unescaped = new byte[Math.max(n, unescaped.length * 2)];
            }
            bytes = unescaped;
            offset = 0;
            length = batch.copy(field, unescaped);
        } else {
            // stored only when it changes: under C1 each reference store calls G1's post-barrier stub
            if (bytes != batch.bytes) {
                bytes = batch.bytes;
            }
            offset = batch.start(field);
            length = batch.end(field) - offset;
        }
        isNull = nullable && (length == 0 || Arrays.equals(bytes, offset, offset + length, nullString, 0,
                nullString.length));
    }

    final String text() {
        return new String(bytes, offset, length, StandardCharsets.UTF_8);
    }

    /**
     * The value as a number when it is an optional sign and 1 to 18 ASCII digits (no overflow possible), or
     * {@link Long#MIN_VALUE} for anything else, which the text converter then judges.
     */
    final long plainNumber() {
        int i = offset;
        int end = offset + length;
        boolean negative = false;
        if (i < end && (bytes[i] == '-' || bytes[i] == '+')) {
            negative = bytes[i] == '-';
            i++;
        }
        int digits = end - i;
        if (digits < 1 || digits > 18) {
            return Long.MIN_VALUE;
        }
        long value = 0;
        for (; i < end; i++) {
            int d = bytes[i] - '0';
            if (d < 0 || d > 9) {
                return Long.MIN_VALUE;
            }
            value = value * 10 + d;
        }
        return negative ? -value : value;
    }

    /** Whether the value, after its sign, is a 0 followed by more digits. */
    final boolean leadingZero() {
        int i = offset;
        if (i < offset + length && (bytes[i] == '-' || bytes[i] == '+')) {
            i++;
        }
        return i + 1 < offset + length && bytes[i] == '0';
    }

    /**
     * A string: the bytes as read (the tokenizer checked they are UTF-8), as one constant instance per value while the
     * column shows few of them ({@link DistinctValues}).
     */
    private static final class Text extends FieldEncoder {

        private final DistinctValues distinct = new DistinctValues();
        private final String rejectsEmpty;

        /** {@code rejectsEmpty}: an empty value is invalid, not "" (an inferred required string). */
        Text(Schema.Field field, ConvertConfig config, boolean rejectsEmpty) {
            super(field, config);
            this.rejectsEmpty = rejectsEmpty ? "empty, but string field " + field.name() + " is required" : null;
        }

        @Override
        void read(CsvBatch batch, int field) throws InvalidValueException {
            slice(batch, field);
            if (rejectsEmpty != null && length == 0) {
                throw new InvalidValueException(rejectsEmpty);
            }
        }

        @Override
        boolean mayReject() {
            return rejectsEmpty != null;
        }

        @Override
        void write(ColumnWriter writer) {
            if (isNull) {
                writer.writeNull(0, level - 1);
            } else {
                Binary value = distinct.find(bytes, offset, length);
                // a value of many is copied by the column writer, its dictionary and its statistics if they keep it
                writer.write(value != null ? value : Binary.fromReusedByteArray(bytes, offset, length), 0, level);
            }
        }
    }

    /** An int or a long: plain ASCII digits parsed in place, anything else judged by the text converter. */
    private static final class Whole extends FieldEncoder {

        private final FieldConverter converter;
        private final boolean isInt;
        private final boolean inferred;
        private long value;

        Whole(Schema.Field field, ConvertConfig config, FieldConverter converter, boolean isInt, boolean inferred) {
            super(field, config);
            this.converter = converter;
            this.isInt = isInt;
            this.inferred = inferred;
        }

        @Override
        void read(CsvBatch batch, int field) throws InvalidValueException {
            slice(batch, field);
            if (isNull) {
                return;
            }
            long number = plainNumber();
            // a leading zero (007) is text to the inference: the converter, which reads as it does, says so
            if (number != Long.MIN_VALUE && (!isInt || (number >= Integer.MIN_VALUE && number <= Integer.MAX_VALUE))
                && !(inferred && leadingZero())) {
                value = number;
                return;
            }
            Object converted = converter.convert(text());
            isNull = converted == null;
            value = isNull ? 0 : ((Number) converted).longValue();
        }

        @Override
        void write(ColumnWriter writer) {
            if (isNull) {
                writer.writeNull(0, level - 1);
            } else if (isInt) {
                writer.write((int) value, 0, level);
            } else {
                writer.write(value, 0, level);
            }
        }
    }

    /** Any other type: the value's text through its {@link FieldConverter}, written as parquet-avro writes it. */
    private static final class Converted extends FieldEncoder {

        private final FieldConverter converter;
        private final Schema.Type type;
        private Object value;

        Converted(Schema.Field field, ConvertConfig config, FieldConverter converter, Schema type) {
            super(field, config);
            this.converter = converter;
            this.type = AvroSchemas.storedType(type);
        }

        @Override
        void read(CsvBatch batch, int field) throws InvalidValueException {
            slice(batch, field);
            value = converter.convert(text());
        }

        @Override
        void write(ColumnWriter writer) {
            if (value == null) {
                writer.writeNull(0, level - 1);
                return;
            }
            switch (type) {
                case INT -> writer.write((Integer) value, 0, level);
                case LONG -> writer.write((Long) value, 0, level);
                case FLOAT -> writer.write((Float) value, 0, level);
                case DOUBLE -> writer.write((Double) value, 0, level);
                case BOOLEAN -> writer.write((Boolean) value, 0, level);
                case STRING, FIXED -> writer.write((Binary) value, 0, level);
                default -> throw new IllegalStateException("AvroSchemas.load lets no " + type + " through");
            }
        }
    }
}
