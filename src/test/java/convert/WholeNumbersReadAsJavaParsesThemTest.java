package convert;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Function;

import config.ConvertConfig;
import config.Settings;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.parquet.column.ColumnWriter;
import org.apache.parquet.io.api.Binary;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Ints and longs parsed from the CSV's bytes are the values {@link Integer#parseInt} and {@link Long#parseLong} give,
 * and what they refuse is refused with the same reason, edge cases and random digits alike.
 */
class WholeNumbersReadAsJavaParsesThemTest {

    private static final ConvertConfig DEFAULTS = ConvertConfig.from(new Settings(key -> Optional.empty()));
    private static final Schema SCHEMA = SchemaBuilder.record("Numbers").fields()
            .requiredInt("i")
            .requiredLong("l")
            .endRecord();

    @Test
    void edgeCasesReadAlike() {
        List<String> values = new ArrayList<>(List.of("0", "-0", "+7", "007", "-", "+", "", " 1", "1 ", "1_0", "1e3",
                "2147483647", "2147483648", "-2147483648", "-2147483649", "999999999999999999", "-999999999999999999",
                "9223372036854775807", "9223372036854775808", "-9223372036854775808", "00000000000000000000001",
                "\u0661\u0662", "\uff11", "0x10", "++1", "1-"));
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 5_000; i++) {
            StringBuilder digits = new StringBuilder(random.nextBoolean() ? "-" : "");
            for (int n = 1 + random.nextInt(21); n > 0; n--) {
                digits.append((char) ('0' + random.nextInt(10)));
            }
            values.add(digits.toString());
        }
        FieldEncoder ints = encoder("i");
        FieldEncoder longs = encoder("l");
        for (String value : values) {
            assertEquals(javaInt(value), read(ints, value), () -> "int '" + value + "'");
            assertEquals(javaLong(value), read(longs, value), () -> "long '" + value + "'");
        }
    }

    private static FieldEncoder encoder(String name) {
        Schema.Field field = SCHEMA.getField(name);
        return FieldEncoder.forField(field, DEFAULTS, FieldConverters.forField(field, DEFAULTS));
    }

    /** What the encoder made of the value: its number as text, or why it refused it. */
    private static String read(FieldEncoder encoder, String value) {
        CsvBatch batch = new CsvBatch((byte) '"', 64);
        batch.add(1, new String[] {value});
        try {
            encoder.read(batch, batch.field(0, 0));
        } catch (InvalidValueException e) {
            return "refused: " + e.getMessage();
        }
        return encoder.isNull ? "null" : String.valueOf(numberRead(encoder));
    }

    /** The number the encoder writes to its column. */
    private static long numberRead(FieldEncoder encoder) {
        long[] written = new long[1];
        encoder.write(new ColumnWriter() {
            @Override
            public void write(int value, int repetitionLevel, int definitionLevel) {
                written[0] = value;
            }

            @Override
            public void write(long value, int repetitionLevel, int definitionLevel) {
                written[0] = value;
            }

            @Override
            public void write(boolean value, int repetitionLevel, int definitionLevel) {
                throw new AssertionError("a boolean written for a number");
            }

            @Override
            public void write(Binary value, int repetitionLevel, int definitionLevel) {
                throw new AssertionError("a binary written for a number");
            }

            @Override
            public void write(float value, int repetitionLevel, int definitionLevel) {
                throw new AssertionError("a float written for a whole number");
            }

            @Override
            public void write(double value, int repetitionLevel, int definitionLevel) {
                throw new AssertionError("a double written for a whole number");
            }

            @Override
            public void writeNull(int repetitionLevel, int definitionLevel) {
                throw new AssertionError("a null written for a value");
            }

            @Override
            public void close() {
            }

            @Override
            public long getBufferedSizeInMemory() {
                return 0;
            }
        });
        return written[0];
    }

    private static String javaInt(String value) {
        return java(value, "int field i", "not an int", Integer::parseInt);
    }

    private static String javaLong(String value) {
        return java(value, "long field l", "not a long", Long::parseLong);
    }

    /** What Java's parser makes of the value, or the reason the convert stage gives when it refuses it. */
    private static String java(String value, String field, String refusal, Function<String, Number> parse) {
        if (value.isEmpty()) {
            return "refused: empty, but " + field + " is required";
        }
        try {
            return String.valueOf(parse.apply(value));
        } catch (NumberFormatException e) {
            return "refused: " + refusal;
        }
    }
}
