package convert;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;

import app.BadInputException;
import app.NothingToLoadException;
import config.ConvertConfig;
import org.apache.avro.Schema;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams the {@code Iterator<CsvRow>} of the lazy CSV unmarshal into a Parquet file in the work folder, one row at a
 * time. The first row is the header; columns are matched to the schema's fields by name. Converted rows go to
 * Parquet's column writers on a writer thread ({@link AsyncRowWriter}, {@link ColumnRowWriter}), the Avro schema as
 * the contract. On success the body is the Parquet {@link Path} and the exchange property
 * {@link ConversionResult#PROPERTY} says what happened; on failure no file is left behind.
 */
public final class ParquetWriterProcessor implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(ParquetWriterProcessor.class);
    private static final int MAX_VALUE_IN_MESSAGE = 80;
    private static final long MIN_ROW_GROUP_SIZE = 4L << 20;

    private final ConvertConfig config;
    private final Schema schema;
    private final Path workDir;
    private final FieldConverter[] converters;
    private final CompressionCodecName codec;
    private final long rowGroupSize;

    public ParquetWriterProcessor(ConvertConfig config, Schema schema, Path workDir) {
        this.config = config;
        this.schema = schema;
        this.workDir = workDir;
        this.codec = CompressionCodecName.valueOf(config.compression());
        this.rowGroupSize = rowGroupSize(config.rowGroupSize(), Runtime.getRuntime().maxMemory());
        List<Schema.Field> fields = schema.getFields();
        this.converters = new FieldConverter[fields.size()];
        for (Schema.Field field : fields) {
            converters[field.pos()] = FieldConverters.forField(field, config);
        }
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        @SuppressWarnings("unchecked")
        Iterator<CsvRow> rows = exchange.getIn().getMandatoryBody(Iterator.class);
        Path parquet = null;
        Path rejects = null;
        boolean converted = false;
        try {
            Files.createDirectories(workDir);
            parquet = Files.createTempFile(workDir, "convert-", ".parquet");
            String name = parquet.getFileName().toString();
            rejects = workDir.resolve(name.substring(0, name.length() - ".parquet".length()) + ".rejects.csv");
            ConversionResult result = convert(rows, parquet, rejects);
            exchange.getIn().setBody(parquet);
            exchange.setProperty(ConversionResult.PROPERTY, result);
            converted = true;
        } finally {
            if (rows instanceof Closeable closeable) {
                closeQuietly(closeable);
            }
            if (!converted) {
                deleteQuietly(parquet);
                deleteQuietly(rejects);
            }
        }
    }

    private ConversionResult convert(Iterator<CsvRow> rows, Path parquet, Path rejectsPath) throws IOException {
        CsvRow header = next(rows, null);
        if (header == null) {
            throw new BadInputException("the input is empty: no header row");
        }
        ColumnMapping mapping = ColumnMapping.of(header.values(), schema, config);
        if (!mapping.extraColumns.isEmpty()) {
            LOG.warn("Ignoring the CSV columns that are not in the schema: {}", String.join(", ", mapping.extraColumns));
        }
        CsvRow first = next(rows, header);
        if (first == null) {
            throw new NothingToLoadException("the input has a header but no data rows");
        }
        long read = 0;
        String firstReject = null;
        try (AsyncRowWriter writer = new AsyncRowWriter(openWriter(parquet));
             RejectsFile rejects = new RejectsFile(rejectsPath, CsvFormats.csvFormat(config))) {
            for (CsvRow row = first; row != null; row = next(rows, row)) {
                read++;
                Object[] record = new Object[converters.length];
                String problem = fill(record, row.values(), mapping);
                if (problem == null) {
                    writer.write(record);
                    continue;
                }
                String where = "line " + row.lineNumber() + ", " + problem;
                if (config.onBadRow() == ConvertConfig.OnBadRow.FAIL) {
                    throw new BadInputException(where);
                }
                if (firstReject == null) {
                    firstReject = where;
                }
                rejects.add(row.lineNumber(), problem, row.values());
                if (rejects.count() > config.maxRejects()) {
                    throw new BadInputException("more than " + config.maxRejects()
                            + " rows were rejected (pipeline.convert.maxRejects); the first: " + firstReject);
                }
            }
            writer.finish();
            rejects.close();
            long rejected = rejects.count();
            ConversionResult result = new ConversionResult(read, read - rejected, rejected, parquet,
                    rejects.pathIfWritten(), Files.size(parquet));
            LOG.info("Converted {} rows into {} ({} bytes), {} rejected", result.rowsWritten(), parquet,
                    result.parquetBytes(), rejected);
            return result;
        }
    }

    /** Puts the row's values into {@code record}; returns why the row is bad, or {@code null}. */
    private String fill(Object[] record, String[] values, ColumnMapping mapping) {
        if (values.length != mapping.columnCount) {
            return "expected " + mapping.columnCount + " fields as in the header, found " + values.length;
        }
        int[] columnOfField = mapping.columnOfField;
        for (int f = 0; f < columnOfField.length; f++) {
            int column = columnOfField[f];
            if (column < 0) {
                record[f] = null;
                continue;
            }
            String text = values[column];
            try {
                record[f] = converters[f].convert(text);
            } catch (InvalidValueException e) {
                return "column " + mapping.labels[f] + ", value '" + clip(text) + "': " + e.getMessage();
            }
        }
        return null;
    }

    /** The next row; a parse error from the tokenizer becomes a {@link BadInputException} saying where. */
    private static CsvRow next(Iterator<CsvRow> rows, CsvRow previous) {
        try {
            return rows.hasNext() ? rows.next() : null;
        } catch (UncheckedIOException | IllegalStateException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            String where = previous == null ? "at its start" : "after the record on line " + previous.lineNumber();
            throw new BadInputException("the CSV cannot be parsed " + where + ": " + cause.getMessage(), e);
        }
    }

    private ColumnRowWriter openWriter(Path parquet) throws IOException {
        return new ColumnRowWriter(new LocalOutputFile(parquet), schema, codec, rowGroupSize, config.pageSize());
    }

    /**
     * Parquet keeps a whole row group in memory until it is flushed: at most an eighth of the heap, so that a small
     * heap converts any size of input. Smaller row groups also flush while the CSV is still being read.
     */
    static long rowGroupSize(long configured, long maxHeap) {
        long cap = Math.max(MIN_ROW_GROUP_SIZE, maxHeap / 8);
        if (configured <= cap) {
            return configured;
        }
        LOG.info("Writing row groups of {} MB: pipeline.convert.rowGroupSize ({} MB) is more than an eighth of the"
                + " {} MB heap", cap >> 20, configured >> 20, maxHeap >> 20);
        return cap;
    }

    private static String clip(String value) {
        if (value.length() <= MAX_VALUE_IN_MESSAGE) {
            return value;
        }
        return value.substring(0, MAX_VALUE_IN_MESSAGE) + "... (" + value.length() + " characters)";
    }

    private static void closeQuietly(Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException | RuntimeException e) {
            LOG.debug("Closing the CSV iterator failed", e);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("Could not delete {}: {}", file, e.getMessage());
        }
    }
}
