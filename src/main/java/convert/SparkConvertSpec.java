package convert;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import config.ConvertConfig;
import core.BadInputException;
import core.Pipeline;
import core.RunSchema;
import core.SparkConversion;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import run.PipelineRun;
import run.RunFiles;

/**
 * The convert stage when the Spark job converts the CSV ({@code pipeline.convert.on=spark}, or {@code auto} above
 * {@code pipeline.convert.sparkAbove}): instead of a Parquet file, the convert spec, a small JSON file the job reads
 * beside the input. It holds the run's schema (given, or inferred by the app from a sample) and every rule of
 * {@code pipeline.convert.*} the app's convert reads by: delimiter, quote, null string, date and timestamp formats,
 * time zone, bad-row policy and limits. The one place that spec is built, whatever engine runs the job.
 */
public final class SparkConvertSpec implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(SparkConvertSpec.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The spec's format; the job refuses none yet, but a later one may. */
    static final int VERSION = 1;

    private final ConvertConfig config;
    private final Path workDir;

    public SparkConvertSpec(ConvertConfig config, Path workDir) {
        this.config = config;
        this.workDir = workDir;
    }

    /** Whether the Spark job converts this run's input: always, never, or above the size, as stored. */
    public boolean applies(Exchange exchange) throws IOException {
        if (config.on() == ConvertConfig.On.APP) {
            return false;
        }
        return config.onSpark(Files.size(exchange.getProperty(Pipeline.INPUT_FILE, Path.class)));
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Path input = exchange.getProperty(Pipeline.INPUT_FILE, Path.class);
        RunSchema schema = exchange.getProperty(Pipeline.SCHEMA, RunSchema.class);
        checkHeader(input, schema.avro());
        Files.createDirectories(workDir);
        Path spec = workDir.resolve("convert-" + UUID.randomUUID() + ".convert.json");
        JSON.writeValue(spec.toFile(), spec(schema.avro(), schema.isInferred()));
        RunFiles.addWorkFile(exchange, spec);
        CsvBytes.Compression compression = compressionOf(input);
        exchange.setProperty(SparkConversion.PROPERTY, new SparkConversion(input, spec, extension(compression)));
        PipelineRun run = exchange.getProperty(Pipeline.RUN, PipelineRun.class);
        run.setConvertedOn("spark");
        if (compression != CsvBytes.Compression.NONE) {
            run.setCompression(compression.describe(), null);
        }
        LOG.info("The CSV {} ({} bytes{}) is converted by the Spark job, not here (pipeline.convert.on={})",
                input.getFileName(), Files.size(input),
                compression == CsvBytes.Compression.NONE ? "" : ", " + compression.describe(),
                config.on().name().toLowerCase(Locale.ROOT));
    }

    /**
     * The header, read here as the app's convert reads it (the first record only): a required field without a column,
     * a column named twice or, with strict, one the schema lacks fails the run now, before the upload and the job.
     */
    private void checkHeader(Path input, Schema schema) throws IOException {
        try (CsvBatches batches = CsvFormats.read(input, config)) {
            CsvBatch batch = batches.next();
            if (batch == null || batch.records() == 0) {
                throw new BadInputException("the input is empty: no header row");
            }
            ColumnMapping.of(batch.values(0), schema, config);
        }
    }

    /** The spec of {@code schema} under this convert's rules, as the job reads it. */
    Map<String, Object> spec(Schema schema, boolean inferred) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("version", VERSION);
        spec.put("delimiter", String.valueOf(config.delimiter()));
        spec.put("quote", String.valueOf(config.quote()));
        spec.put("charset", config.charset().name());
        spec.put("nullString", config.nullString());
        spec.put("strict", config.strict());
        spec.put("onBadRow", config.onBadRow().name().toLowerCase(Locale.ROOT));
        spec.put("maxRejects", config.maxRejects());
        spec.put("dateFormat", config.dateFormat());
        spec.put("timestampFormat", config.timestampFormat());
        spec.put("timeZone", config.timeZone().getId());
        spec.put("maxFieldsPerRecord", config.limits().maxFieldsPerRecord());
        spec.put("maxFieldBytes", config.limits().maxFieldBytes());
        spec.put("maxRecordBytes", config.limits().maxRecordBytes());
        List<Map<String, Object>> fields = new ArrayList<>();
        for (Schema.Field field : schema.getFields()) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("name", field.name());
            f.put("type", type(AvroSchemas.nonNull(field.schema())));
            f.put("nullable", AvroSchemas.isNullable(field.schema()));
            f.put("inferred", inferred);
            fields.add(f);
        }
        spec.put("fields", fields);
        return spec;
    }

    /** The job's name of a field's type: Spark SQL's, timestamps as instants or wall-clock times. */
    static String type(Schema type) {
        LogicalType logical = type.getLogicalType();
        if (logical instanceof LogicalTypes.Decimal d) {
            return "decimal(" + d.getPrecision() + "," + d.getScale() + ")";
        }
        if (logical instanceof LogicalTypes.Date) {
            return "date";
        }
        if (logical instanceof LogicalTypes.TimestampMillis || logical instanceof LogicalTypes.TimestampMicros) {
            return "timestamp";
        }
        if (logical instanceof LogicalTypes.LocalTimestampMillis
            || logical instanceof LogicalTypes.LocalTimestampMicros) {
            return "timestamp_ntz";
        }
        return switch (type.getType()) {
            case INT -> "int";
            case LONG -> "long";
            case FLOAT -> "float";
            case DOUBLE -> "double";
            case BOOLEAN -> "boolean";
            case STRING -> "string";
            default -> throw new IllegalStateException("AvroSchemas.load lets no " + type + " through");
        };
    }

    private static CsvBytes.Compression compressionOf(Path input) throws IOException {
        byte[] head = new byte[CsvBytes.Compression.HEAD];
        int n = 0;
        try (InputStream in = Files.newInputStream(input)) {
            for (int read; n < head.length && (read = in.read(head, n, head.length - n)) > 0; ) {
                n += read;
            }
        }
        return CsvBytes.Compression.of(head, n);
    }

    /** The ending Hadoop's codecs know the compression by. */
    private static String extension(CsvBytes.Compression compression) {
        return switch (compression) {
            case NONE -> ".csv";
            case GZIP -> ".csv.gz";
            case ZSTD -> ".csv.zst";
            case BZIP2 -> ".csv.bz2";
        };
    }
}
