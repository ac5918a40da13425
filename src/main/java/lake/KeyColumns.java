package lake;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.apache.commons.codec.digest.MurmurHash3;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * The key columns of a merge ({@code pipeline.table.key}) and how their values compare: each value in one form
 * whatever a file stores it as (an int or a long, a decimal as an int, a long or bytes), and each row's key as a
 * fingerprint of 128 bits. A key of one whole-number column (a whole number, a date, a timestamp, a boolean) is its
 * value itself; any other is the 128-bit MurmurHash3 of its values: that two different keys share one is a chance
 * below 10^-20 even for a billion input keys against a billion rows, far below a disk's undetected errors.
 */
final class KeyColumns {

    /** How a key column's values compare: as a long, as UTF-8 bytes, or as a decimal's unscaled value. */
    enum Kind { WHOLE, TEXT, DECIMAL }

    /** One key column: its name and field id in the table, its type, and how its values compare. */
    record Column(String name, int fieldId, Type type, Kind kind) {
    }

    private final List<Column> columns;
    private final boolean exact;

    private KeyColumns(List<Column> columns) {
        this.columns = List.copyOf(columns);
        this.exact = columns.size() == 1 && columns.get(0).kind() == Kind.WHOLE;
    }

    /** The columns {@code names} of {@code schema}; each must be there and of a type a key can have. */
    static KeyColumns of(Schema schema, List<String> names) {
        List<Column> columns = new ArrayList<>();
        for (String name : names) {
            Types.NestedField field = schema.findField(name);
            if (field == null) {
                throw new IllegalArgumentException("the table has no column " + name + " (pipeline.table.key)");
            }
            Kind kind = kindOf(field.type());
            if (kind == null) {
                throw new IllegalArgumentException("column " + name + " is " + field.type() + ", which a key cannot"
                        + " be (pipeline.table.key)");
            }
            columns.add(new Column(name, field.fieldId(), field.type(), kind));
        }
        return new KeyColumns(columns);
    }

    /** How values of {@code type} compare as a key; null for a type a key cannot have (float, double, nested...). */
    static Kind kindOf(Type type) {
        return switch (type.typeId()) {
            case BOOLEAN, INTEGER, LONG, DATE, TIME, TIMESTAMP -> Kind.WHOLE;
            case STRING -> Kind.TEXT;
            case DECIMAL -> Kind.DECIMAL;
            default -> null;
        };
    }

    /** The same columns found by name in a file, whatever its field ids: the converted file of a run. */
    KeyColumns byName() {
        return new KeyColumns(columns.stream().map(c -> new Column(c.name(), -1, c.type(), c.kind())).toList());
    }

    List<Column> columns() {
        return columns;
    }

    int size() {
        return columns.size();
    }

    Column get(int index) {
        return columns.get(index);
    }

    /** A key of one whole-number column: its fingerprint is the value itself, and keys sort as the values do. */
    boolean exact() {
        return exact;
    }

    /**
     * A value of column {@code column} in its canonical form ({@link Long}, {@code byte[]} of UTF-8, {@link BigInteger}
     * unscaled) from what Iceberg's bounds hold ({@link org.apache.iceberg.types.Conversions#fromByteBuffer}).
     */
    static Object canonical(Column column, Object value) {
        return switch (column.kind()) {
            case WHOLE -> value instanceof Boolean b ? (b ? 1L : 0L) : ((Number) value).longValue();
            case TEXT -> value instanceof CharSequence text ? utf8(text) : bytes((ByteBuffer) value);
            case DECIMAL -> ((BigDecimal) value).unscaledValue();
        };
    }

    /** A canonical value as the literal Iceberg's expressions take for the column's type. */
    static Object literal(Column column, Object canonical) {
        return switch (column.type().typeId()) {
            case BOOLEAN -> (Long) canonical != 0;
            case INTEGER, DATE -> (int) (long) (Long) canonical;
            case LONG, TIME, TIMESTAMP -> canonical;
            case STRING -> new String((byte[]) canonical, StandardCharsets.UTF_8);
            case DECIMAL -> new BigDecimal((BigInteger) canonical, ((Types.DecimalType) column.type()).scale());
            default -> throw new IllegalStateException("no key column is " + column.type());
        };
    }

    /** A canonical value as a message shows it (a date as 2024-01-31, a decimal with its scale). */
    static String text(Column column, Object canonical) {
        return switch (column.type().typeId()) {
            case DATE -> LocalDate.ofEpochDay((Long) canonical).toString();
            case TIMESTAMP -> {
                long micros = (Long) canonical;
                Instant instant = Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
                yield ((Types.TimestampType) column.type()).shouldAdjustToUTC() ? instant.toString()
                        : LocalDateTime.ofInstant(instant, ZoneOffset.UTC).toString();
            }
            default -> String.valueOf(literal(column, canonical));
        };
    }

    /** Compares two canonical values of one column: numbers as numbers, text as unsigned UTF-8 bytes. */
    @SuppressWarnings("unchecked")
    static int compare(Object a, Object b) {
        if (a instanceof byte[] x) {
            return Arrays.compareUnsigned(x, (byte[]) b);
        }
        return ((Comparable<Object>) a).compareTo(b);
    }

    private static byte[] utf8(CharSequence text) {
        ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(text));
        return bytes(encoded);
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    /**
     * One row's key, its columns' values added in order, then read as a fingerprint of two longs: the value itself
     * for an {@link #exact} key, else the 128-bit MurmurHash3 of the values, each a long or its length and bytes.
     */
    static final class Fingerprint {

        private final boolean exact;
        private byte[] buffer = new byte[64];
        private int length;
        private long hi;
        private long lo;

        Fingerprint(boolean exact) {
            this.exact = exact;
        }

        void start() {
            length = 0;
        }

        void addWhole(long value) {
            if (exact) {
                hi = value;
                return;
            }
            room(8);
            for (int shift = 56; shift >= 0; shift -= 8) {
                buffer[length++] = (byte) (value >>> shift);
            }
        }

        void addBytes(byte[] bytes, int offset, int count) {
            room(4 + count);
            for (int shift = 24; shift >= 0; shift -= 8) {
                buffer[length++] = (byte) (count >>> shift);
            }
            System.arraycopy(bytes, offset, buffer, length, count);
            length += count;
        }

        void addDecimal(BigInteger unscaled) {
            byte[] bytes = unscaled.toByteArray();
            addBytes(bytes, 0, bytes.length);
        }

        /** Ends the row's key: {@link #hi} and {@link #lo} are its fingerprint. */
        void finish() {
            if (exact) {
                lo = 0;
                return;
            }
            long[] hash = MurmurHash3.hash128x64(buffer, 0, length, 0);
            hi = hash[0];
            lo = hash[1];
        }

        long hi() {
            return hi;
        }

        long lo() {
            return lo;
        }

        private void room(int more) {
            if (length + more > buffer.length) {
                buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + more));
            }
        }
    }
}
