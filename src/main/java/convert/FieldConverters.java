package convert;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.Arrays;
import java.util.Locale;

import config.ConfigurationException;
import config.ConvertConfig;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.parquet.io.api.Binary;

/**
 * Builds one {@link FieldConverter} per schema field, once, so that converting a value is a single call. Values are
 * Avro's Java types, except strings, which come out as UTF-8 {@link Binary} ready for Parquet, decimals, which come out
 * as their unscaled int or long, or a fixed {@link Binary} ({@link AvroSchemas#storedType}), and timestamp-millis
 * values, which come out in microseconds ({@link AvroSchemas#storedAsMicros}).
 * <ul>
 * <li>boolean: {@code true}/{@code false}/{@code yes}/{@code no}, any case;</li>
 * <li>numbers: as Java parses them, no spaces, no hex, no type suffixes;</li>
 * <li>nullable fields: an empty value or {@code pipeline.convert.nullString} is null;</li>
 * <li>required fields: an empty string stays {@code ""}; an empty value for any other type is invalid;</li>
 * <li>timestamps: an instant (timestamp-*) without an offset is in {@code pipeline.convert.timeZone}, a wall-clock
 * time (local-timestamp-*) is kept as written; a date is its midnight; digits finer than the field's unit are
 * invalid, not dropped;</li>
 * <li>decimals: rescaled to the field's scale only when no digit is lost and the precision holds.</li>
 * </ul>
 */
final class FieldConverters {

    static final String DATE_FORMAT = "pipeline.convert.dateFormat";
    static final String TIMESTAMP_FORMAT = "pipeline.convert.timestampFormat";
    private static final DateTimeFormatter ISO_T = isoTimestamp('T');
    private static final DateTimeFormatter ISO_SPACE = isoTimestamp(' ');

    private FieldConverters() {
    }

    static FieldConverter forField(Schema.Field field, ConvertConfig config) {
        return forField(field, config, false);
    }

    /**
     * {@code inferred}: the field's type was inferred, and its values are read as the inference reads them
     * ({@link #asInferred}), so that a value the inference would have given another type does not pass unnoticed.
     */
    static FieldConverter forField(Schema.Field field, ConvertConfig config, boolean inferred) {
        Schema type = AvroSchemas.nonNull(field.schema());
        FieldConverter converter = inferred ? asInferred(type, forType(type, config)) : forType(type, config);
        if (AvroSchemas.isNullable(field.schema())) {
            String nullString = config.nullString();
            return text -> text.isEmpty() || text.equals(nullString) ? null : converter.convert(text);
        }
        // a required string keeps an empty value as "", but an inferred one is optional if it has empty values
        if (type.getType() == Schema.Type.STRING && !inferred) {
            return converter;
        }
        String required = "empty, but " + describe(type) + " field " + field.name() + " is required";
        return text -> {
            if (text.isEmpty()) {
                throw new InvalidValueException(required);
            }
            return converter.convert(text);
        };
    }

    /**
     * A number as the inference reads one ({@link NumberText}: no leading zero, no exponent in an exact number, no
     * more than 15 digits written plainly in a double) and a boolean as true or false: any other value is one the
     * inference would have given another type.
     */
    static FieldConverter asInferred(Schema type, FieldConverter converter) {
        String reason = "not " + describe(type) + " as the schema inference reads it";
        return switch (ColumnType.of(type).kind()) {
            case INT, LONG -> text -> {
                NumberText.Digits digits = NumberText.exact(text);
                if (digits == null || digits.point()) {
                    throw new InvalidValueException(reason);
                }
                return converter.convert(text);
            };
            case DECIMAL -> text -> {
                if (NumberText.exact(text) == null) {
                    throw new InvalidValueException(reason);
                }
                return converter.convert(text);
            };
            case DOUBLE -> text -> {
                NumberText.Digits digits = NumberText.exact(text);
                boolean exact = digits != null && digits.integer() + digits.scale() <= ColumnType.EXACT_DOUBLE_DIGITS;
                if (!exact && !NumberText.isFloating(text)) {
                    throw new InvalidValueException(reason);
                }
                return converter.convert(text);
            };
            case BOOLEAN -> text -> {
                if (!text.equalsIgnoreCase("true") && !text.equalsIgnoreCase("false")) {
                    throw new InvalidValueException(reason);
                }
                return converter.convert(text);
            };
            default -> converter;
        };
    }

    static String describe(Schema type) {
        LogicalType logical = type.getLogicalType();
        if (logical instanceof LogicalTypes.Decimal d) {
            return "decimal(" + d.getPrecision() + "," + d.getScale() + ")";
        }
        return logical != null ? logical.getName() : type.getType().getName();
    }

    /** The converter of a value of {@code type} (non-null), nulls not handled: an empty value is invalid. */
    static FieldConverter forType(Schema type, ConvertConfig config) {
        LogicalType logical = type.getLogicalType();
        if (logical instanceof LogicalTypes.Date) {
            return date(config.dateFormat());
        }
        if (logical instanceof LogicalTypes.TimestampMillis || logical instanceof LogicalTypes.LocalTimestampMillis) {
            return timestamp(config, false, AvroSchemas.isLocalTimestamp(type));
        }
        if (logical instanceof LogicalTypes.TimestampMicros || logical instanceof LogicalTypes.LocalTimestampMicros) {
            return timestamp(config, true, AvroSchemas.isLocalTimestamp(type));
        }
        if (logical instanceof LogicalTypes.Decimal decimal) {
            return decimal(type, decimal);
        }
        return switch (type.getType()) {
            // encoded here, on the converting thread, rather than on the thread that writes Parquet
            case STRING -> text -> Binary.fromConstantByteArray(text.getBytes(StandardCharsets.UTF_8));
            case INT -> text -> {
                try {
                    return Integer.parseInt(text);
                } catch (NumberFormatException e) {
                    throw new InvalidValueException("not an int");
                }
            };
            case LONG -> text -> {
                try {
                    return Long.parseLong(text);
                } catch (NumberFormatException e) {
                    throw new InvalidValueException("not a long");
                }
            };
            case FLOAT -> text -> {
                if (!looksDecimal(text)) {
                    throw new InvalidValueException("not a float");
                }
                try {
                    return Float.parseFloat(text);
                } catch (NumberFormatException e) {
                    throw new InvalidValueException("not a float");
                }
            };
            case DOUBLE -> text -> {
                if (!looksDecimal(text)) {
                    throw new InvalidValueException("not a double");
                }
                try {
                    return Double.parseDouble(text);
                } catch (NumberFormatException e) {
                    throw new InvalidValueException("not a double");
                }
            };
            case BOOLEAN -> FieldConverters::bool;
            default -> throw new IllegalStateException("AvroSchemas.load lets no " + type + " through");
        };
    }

    private static Object bool(String text) throws InvalidValueException {
        if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("yes")) {
            return Boolean.TRUE;
        }
        if (text.equalsIgnoreCase("false") || text.equalsIgnoreCase("no")) {
            return Boolean.FALSE;
        }
        throw new InvalidValueException("not a boolean (true, false, yes or no)");
    }

    /** Digits, sign, point and exponent only, or NaN/Infinity: keeps Java's "1f", "0x1p3" and " 1 " out. */
    private static boolean looksDecimal(String text) {
        if (text.equals("NaN") || text.equals("Infinity") || text.equals("-Infinity")) {
            return true;
        }
        for (int i = 0, n = text.length(); i < n; i++) {
            char c = text.charAt(i);
            if (!((c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E')) {
                return false;
            }
        }
        return !text.isEmpty();
    }

    private static FieldConverter date(String pattern) {
        DateTimeFormatter format = pattern(pattern, DATE_FORMAT);
        String reason = "not a date in the format " + pattern + " (" + DATE_FORMAT + ")";
        return text -> {
            try {
                return Math.toIntExact(LocalDate.parse(text, format).toEpochDay());
            } catch (DateTimeException | ArithmeticException e) {
                throw new InvalidValueException(reason);
            }
        };
    }

    /**
     * A timestamp in the field's unit, from {@code pipeline.convert.timestampFormat}, or a date of
     * {@code pipeline.convert.dateFormat} at midnight. An instant (timestamp-*) takes a value's offset, or else the
     * zone of {@code pipeline.convert.timeZone}; a wall-clock time (local-timestamp-*) is kept as written, and a value
     * with an offset is not one.
     */
    private static FieldConverter timestamp(ConvertConfig config, boolean micros, boolean local) {
        String pattern = config.timestampFormat();
        boolean iso = pattern.equalsIgnoreCase("iso");
        DateTimeFormatter format = iso ? ISO_T : pattern(pattern, TIMESTAMP_FORMAT);
        DateTimeFormatter dateOnly = pattern(config.dateFormat(), DATE_FORMAT);
        ZoneId zone = config.timeZone();
        String reason = "not a timestamp in the format " + (iso ? "ISO-8601, such as 2026-03-01T08:15:00, "
                + "2026-03-01 08:15:00.250 or 2026-03-01T08:15:00+02:00" : pattern) + " (" + TIMESTAMP_FORMAT
                + ", a java.time pattern such as MM/dd/yyyy HH:mm, or iso), nor a date (" + DATE_FORMAT + ")";
        String tooFine = "has digits finer than " + (micros ? "micro" : "milli") + "seconds";
        String offset = "has an offset, but the field holds wall-clock times (local-timestamp-" + (micros ? "micros"
                : "millis") + "); a field of instants (timestamp-" + (micros ? "micros" : "millis") + ") takes it";
        return text -> {
            long seconds;
            int nanos;
            try {
                TemporalAccessor parsed = parseTimestamp(text, iso, format, dateOnly);
                if (parsed.isSupported(ChronoField.OFFSET_SECONDS)) {
                    if (local) {
                        throw new InvalidValueException(offset);
                    }
                    Instant instant = Instant.from(parsed);
                    seconds = instant.getEpochSecond();
                    nanos = instant.getNano();
                } else {
                    LocalDateTime wallClock = parsed instanceof LocalDate day ? day.atStartOfDay()
                            : LocalDateTime.from(parsed);
                    seconds = local || zone == ZoneOffset.UTC ? wallClock.toEpochSecond(ZoneOffset.UTC)
                            : wallClock.atZone(zone).toEpochSecond();
                    nanos = wallClock.getNano();
                }
            } catch (DateTimeException e) {
                throw new InvalidValueException(reason);
            }
            try {
                if (micros) {
                    if (nanos % 1_000 != 0) {
                        throw new InvalidValueException(tooFine);
                    }
                    return Math.addExact(Math.multiplyExact(seconds, 1_000_000L), nanos / 1_000);
                }
                if (nanos % 1_000_000 != 0) {
                    throw new InvalidValueException(tooFine);
                }
                // stored in microseconds all the same (AvroSchemas.storedAsMicros)
                return Math.multiplyExact(Math.addExact(Math.multiplyExact(seconds, 1_000L), nanos / 1_000_000),
                        1_000L);
            } catch (ArithmeticException e) {
                throw new InvalidValueException("out of range");
            }
        };
    }

    /** The timestamp of {@code text}, or else its date (a {@link LocalDate}); throws when it is neither. */
    private static TemporalAccessor parseTimestamp(String text, boolean iso, DateTimeFormatter format,
                                                   DateTimeFormatter dateOnly) {
        DateTimeFormatter f = iso && text.length() > 10 && text.charAt(10) == ' ' ? ISO_SPACE : format;
        try {
            return f.parse(text);
        } catch (DateTimeException e) {
            try {
                return LocalDate.parse(text, dateOnly);
            } catch (DateTimeException notADate) {
                throw e;
            }
        }
    }

    private static FieldConverter decimal(Schema type, LogicalTypes.Decimal decimal) {
        int scale = decimal.getScale();
        BigInteger limit = BigInteger.TEN.pow(decimal.getPrecision());
        String name = describe(type);
        String tooManyPlaces = "has more than " + scale + " decimal places for " + name;
        String tooManyDigits = "has more digits than " + name + " holds";
        Schema.Type stored = AvroSchemas.storedType(type);
        int size = AvroSchemas.decimalBytes(decimal.getPrecision());
        return text -> {
            BigDecimal value;
            try {
                value = new BigDecimal(text);
            } catch (NumberFormatException e) {
                throw new InvalidValueException("not a decimal");
            }
            try {
                value = value.setScale(scale);
            } catch (ArithmeticException e) {
                throw new InvalidValueException(tooManyPlaces);
            }
            if (value.unscaledValue().abs().compareTo(limit) >= 0) {
                throw new InvalidValueException(tooManyDigits);
            }
            return switch (stored) {
                case INT -> value.unscaledValue().intValueExact();
                case LONG -> value.unscaledValue().longValueExact();
                default -> fixed(value.unscaledValue().toByteArray(), size);
            };
        };
    }

    /** {@code unscaled} (big-endian two's complement, as short as it can be) sign-extended to {@code size} bytes. */
    private static Binary fixed(byte[] unscaled, int size) {
        byte[] bytes = new byte[size];
        int pad = size - unscaled.length;
        Arrays.fill(bytes, 0, pad, unscaled[0] < 0 ? (byte) -1 : 0);
        System.arraycopy(unscaled, 0, bytes, pad, unscaled.length);
        return Binary.fromConstantByteArray(bytes);
    }

    /** Strict resolving (no 31 February); "yyyy" means the proleptic year then, as "uuuu" does. */
    private static DateTimeFormatter pattern(String pattern, String property) {
        String strict = pattern.indexOf('G') < 0 ? yearOfEraToYear(pattern) : pattern;
        try {
            return DateTimeFormatter.ofPattern(strict, Locale.ROOT).withResolverStyle(ResolverStyle.STRICT);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(property + " is not a valid java.time pattern, was '" + pattern + "': "
                    + e.getMessage());
        }
    }

    private static String yearOfEraToYear(String pattern) {
        StringBuilder out = new StringBuilder(pattern.length());
        boolean quoted = false;
        for (char c : pattern.toCharArray()) {
            if (c == '\'') {
                quoted = !quoted;
            }
            out.append(!quoted && c == 'y' ? 'u' : c);
        }
        return out.toString();
    }

    private static DateTimeFormatter isoTimestamp(char separator) {
        return new DateTimeFormatterBuilder()
                .parseCaseInsensitive()
                .append(DateTimeFormatter.ISO_LOCAL_DATE)
                .appendLiteral(separator)
                .append(DateTimeFormatter.ISO_LOCAL_TIME)
                .optionalStart()
                .appendOffsetId()
                .optionalEnd()
                .toFormatter(Locale.ROOT)
                .withResolverStyle(ResolverStyle.STRICT);
    }
}
