package config;

import java.nio.charset.Charset;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code pipeline.convert.*}: how the CSV is read and how the Parquet file is written.
 *
 * @param schema where the dataset's Avro schema is; empty: the schema is inferred from each CSV
 * @param maxInputBytes the most bytes of CSV an input may hold, decompressed: a decompression bomb fails naming it
 * @param on where the CSV is converted: by the app, by the Spark job that loads it, or by Spark above {@code sparkAbove}
 * @param sparkAbove with {@code on} auto: the size of input (as stored) above which Spark converts it
 */
public record ConvertConfig(
        Optional<String> schema,
        int inferSampleRows,
        Parser parser,
        char delimiter,
        char quote,
        Charset charset,
        String nullString,
        boolean strict,
        OnBadRow onBadRow,
        int maxRejects,
        String dateFormat,
        String timestampFormat,
        ZoneId timeZone,
        String compression,
        long rowGroupSize,
        int pageSize,
        long maxInputBytes,
        Limits limits,
        On on,
        long sparkAbove) {

    /** {@code pipeline.convert.on}: the app converts the CSV to Parquet, or the Spark job reads the CSV itself. */
    public enum On { APP, SPARK, AUTO }

    /** A convert of the values given, by the app ({@link On#APP}). */
    public ConvertConfig(Optional<String> schema, int inferSampleRows, Parser parser, char delimiter, char quote,
                         Charset charset, String nullString, boolean strict, OnBadRow onBadRow, int maxRejects,
                         String dateFormat, String timestampFormat, ZoneId timeZone, String compression,
                         long rowGroupSize, int pageSize, long maxInputBytes, Limits limits) {
        this(schema, inferSampleRows, parser, delimiter, quote, charset, nullString, strict, onBadRow, maxRejects,
                dateFormat, timestampFormat, timeZone, compression, rowGroupSize, pageSize, maxInputBytes, limits,
                On.APP, Long.MAX_VALUE);
    }

    /** Whether the Spark job converts an input of {@code storedBytes} (as received, compressed or not). */
    public boolean onSpark(long storedBytes) {
        return on == On.SPARK || (on == On.AUTO && storedBytes > sparkAbove);
    }

    public enum OnBadRow { FAIL, SKIP }

    /** camel-csv's data format (commons-csv), or the project's own tokenizer over the file's UTF-8 bytes. */
    public enum Parser { CAMEL_CSV, FAST }

    /**
     * Hard limits on one CSV record, checked as it is split, so that a hostile file fails naming its line instead of
     * exhausting the heap: the defaults (in application.properties) fit the documented {@code -Xmx256m}.
     */
    public record Limits(int maxFieldsPerRecord, int maxFieldBytes, int maxRecordBytes) {
    }

    /** About the largest Java array: a limit's buffers grow to twice or four times it. */
    private static final int MAX_ARRAY = Integer.MAX_VALUE - 8;
    private static final String SCHEMA = "pipeline.convert.schema";
    /** The dataset whose default schema is application.properties' pipeline.convert.schema: the walkthrough's. */
    private static final String BUNDLED_DATASET = "products";

    public static ConvertConfig from(Settings s) {
        String compression = s.string("pipeline.convert.compression").toUpperCase(Locale.ROOT);
        if (!compression.matches("UNCOMPRESSED|SNAPPY|GZIP|ZSTD|LZ4_RAW")) {
            s.problem("pipeline.convert.compression must be one of UNCOMPRESSED, SNAPPY, GZIP, ZSTD, LZ4_RAW, was "
                      + compression);
        }
        char delimiter = s.character("pipeline.convert.delimiter");
        char quote = s.character("pipeline.convert.quote");
        if (delimiter == quote) {
            s.problem("pipeline.convert.delimiter and pipeline.convert.quote must differ, both were '" + quote + "'");
        }
        Parser parser = s.choice("pipeline.convert.parser", Parser.class);
        if (parser == Parser.FAST && (delimiter > 127 || quote > 127)) {
            s.problem("pipeline.convert.parser=fast splits bytes and needs an ASCII pipeline.convert.delimiter and "
                    + "pipeline.convert.quote, were '" + delimiter + "' and '" + quote + "'; "
                    + "pipeline.convert.parser=camel-csv reads any");
        }
        return new ConvertConfig(
                schema(s),
                s.integer("pipeline.convert.inferSampleRows", 1, Integer.MAX_VALUE),
                parser,
                delimiter,
                quote,
                s.charset("pipeline.convert.charset"),
                s.raw("pipeline.convert.nullString").orElse(""),
                s.bool("pipeline.convert.strict"),
                s.choice("pipeline.convert.onBadRow", OnBadRow.class),
                s.integer("pipeline.convert.maxRejects", 0, Integer.MAX_VALUE),
                s.string("pipeline.convert.dateFormat"),
                s.string("pipeline.convert.timestampFormat"),
                timeZone(s),
                compression,
                s.number("pipeline.convert.rowGroupSize", 1024 * 1024, Integer.MAX_VALUE),
                s.integer("pipeline.convert.pageSize", 4 * 1024, 64 * 1024 * 1024),
                s.number("pipeline.convert.maxInputBytes", 1, Long.MAX_VALUE),
                new Limits(
                        s.integer("pipeline.convert.maxFieldsPerRecord", 1, MAX_ARRAY / 2),
                        s.integer("pipeline.convert.maxFieldBytes", 1, MAX_ARRAY / 4),
                        s.integer("pipeline.convert.maxRecordBytes", 1, MAX_ARRAY / 4)),
                s.choice("pipeline.convert.on", On.class),
                s.number("pipeline.convert.sparkAbove", 0, Long.MAX_VALUE));
    }

    /**
     * The dataset's schema: the location given, an empty value meaning none. The default of application.properties
     * is the walkthrough's products schema, and so the products dataset's only (the app's lookup reads that file too:
     * a value equal to the default counts as the default). Without a schema the convert infers one from the CSV.
     */
    private static Optional<String> schema(Settings s) {
        Optional<String> location = s.given(SCHEMA).or(() -> s.raw(SCHEMA)).map(String::trim);
        if (location.isEmpty() || location.get().isEmpty()) {
            return Optional.empty();
        }
        String bundled = Optional.ofNullable(Settings.defaults().getProperty(SCHEMA)).map(String::trim).orElse("");
        return location.get().equals(bundled) && !BUNDLED_DATASET.equals(PipelineConfig.datasetName(s))
                ? Optional.empty() : location;
    }

    private static ZoneId timeZone(Settings s) {
        String zone = s.string("pipeline.convert.timeZone");
        try {
            return ZoneId.of(zone);
        } catch (DateTimeException e) {
            s.problem("pipeline.convert.timeZone must be a time zone such as UTC, Europe/Paris or +02:00, was " + zone);
            return ZoneOffset.UTC;
        }
    }
}
