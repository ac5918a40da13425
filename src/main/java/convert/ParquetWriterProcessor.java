package convert;

import core.ConversionResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.IntStream;

import core.BadInputException;
import core.DiskSpace;
import core.ParseProgress;
import core.Pipeline;
import core.RowLines;
import core.RunSchema;
import config.ConvertConfig;
import org.apache.avro.Schema;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import run.PipelineRun;

/**
 * Streams the {@link CsvBatches} of the CSV unmarshal into a Parquet file in the work folder, one record at a time.
 * The first record is the header; columns are matched to the schema's fields by name. Each value goes from the CSV's
 * UTF-8 bytes through its field's {@link FieldEncoder} to Parquet's column writers ({@link ColumnRowWriter}), the Avro
 * schema as the contract; with a second core, a {@link ColumnGroupWorker} encodes some of the columns alongside. On
 * success the body is the Parquet {@link Path} and the exchange property {@link ConversionResult#PROPERTY} says what
 * happened; an input with a header and no rows sets {@link Pipeline#SKIPPED} instead. On failure no file is left
 * behind.
 * <p>
 * The schema is the run's ({@link Pipeline#SCHEMA}). An inferred one is never silently wrong: a value its column's
 * type does not hold (a {@code 12.5} in a column of whole numbers, after the sample) widens the column instead of
 * being rejected. The pass goes on to the end of the file to find every column to widen, writing nothing more; then
 * the exchange has the widened schema and no {@link ConversionResult}, and the route converts the file again.
 */
public final class ParquetWriterProcessor implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(ParquetWriterProcessor.class);
    private static final int MAX_VALUE_IN_MESSAGE = 80;
    /** What {@code readRecord} says of a record whose values widened their columns: not a bad row. */
    private static final String WIDENED = "widened";
    private static final long MIN_ROW_GROUP_SIZE = 4L << 20;
    /** Why a run whose input is a header alone ends SKIPPED ({@link Pipeline#SKIPPED}). */
    static final String NO_ROWS = "the input has a header but no data rows";

    /** Values that often stand for "no value": a typed column that holds one points at pipeline.convert.nullString. */
    private static final List<String> NULL_MARKERS = List.of("NULL", "null", "Null", "N/A", "n/a", "NA", "-", "None",
            "none", "NaN", "nan", "#N/A", "(null)", "\\N");
    /** More passes than widening can ever need: each widens a column at least one step, and there are few steps. */
    private static final int MAX_PASSES = 6;

    private final ConvertConfig config;
    private final Schema schema;
    private final Path workDir;
    private final FieldConverter[] converters;
    private final ValueTypes values;
    private final CompressionCodecName codec;
    private final long rowGroupSize;

    /** {@code schema}: the dataset's, used when the exchange has no {@link Pipeline#SCHEMA}; null when inferred. */
    public ParquetWriterProcessor(ConvertConfig config, Schema schema, Path workDir) {
        this.config = config;
        this.schema = schema;
        this.workDir = workDir;
        this.codec = CompressionCodecName.valueOf(config.compression());
        this.rowGroupSize = rowGroupSize(config.rowGroupSize(), Runtime.getRuntime().maxMemory());
        this.converters = schema == null ? null : converters(schema, config, false);
        // the formats of dates and timestamps are checked now, inferred schema or not
        this.values = new ValueTypes(config);
    }

    /** The input file's size as stored (a compressed file's own), which its progress is shown against; -1: unknown. */
    private static long inputSize(Exchange exchange) {
        Path input = exchange.getProperty(Pipeline.INPUT_FILE, Path.class);
        try {
            return input == null ? -1 : Files.size(input);
        } catch (IOException e) {
            return -1;
        }
    }

    private static FieldConverter[] converters(Schema schema, ConvertConfig config, boolean inferred) {
        List<Schema.Field> fields = schema.getFields();
        FieldConverter[] converters = new FieldConverter[fields.size()];
        for (Schema.Field field : fields) {
            converters[field.pos()] = FieldConverters.forField(field, config, inferred);
        }
        return converters;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        CsvBatches batches = exchange.getIn().getMandatoryBody(CsvBatches.class);
        int[] fieldIds = exchange.getProperty(Pipeline.FIELD_IDS, int[].class);
        Path parquet = null;
        Path rejects = null;
        boolean converted = false;
        PipelineRun run = exchange.getProperty(Pipeline.RUN, PipelineRun.class);
        RunSchema runSchema = exchange.getProperty(Pipeline.SCHEMA, RunSchema.class);
        if (runSchema == null) {
            runSchema = RunSchema.given(schema, config.schema().orElse(""));
        }
        ParseProgress progress = new ParseProgress(inputSize(exchange), runSchema.passes() + 1);
        exchange.setProperty(Pipeline.CONVERT_PROGRESS, progress);
        Conversion conversion = new Conversion(batches, fieldIds, run != null ? run.getSource() : "the CSV",
                runSchema, progress);
        try (batches) {
            Files.createDirectories(workDir);
            // a new file, not an empty one truncated: closing a truncated file makes ext4 write it out at once
            String name = "convert-" + UUID.randomUUID();
            parquet = workDir.resolve(name + ".parquet");
            rejects = workDir.resolve(name + ".rejects.csv");
            ConversionResult result = conversion.run(parquet, rejects);
            if (result == null) {
                if (conversion.headerOnly) {
                    exchange.setProperty(Pipeline.SKIPPED, NO_ROWS);
                    return;
                }
                // columns widened: the file is converted again with the wider schema, this pass's file goes
                exchange.setProperty(Pipeline.SCHEMA, conversion.widenedSchema());
                exchange.removeProperty(ConversionResult.PROPERTY);
                exchange.getIn().setBody(null);
                return;
            }
            exchange.getIn().setBody(parquet);
            exchange.setProperty(ConversionResult.PROPERTY, result);
            converted = true;
        } catch (Error e) {
            // on this thread, from the reader's or the column worker's: the batches are closed, their memory free
            throw new ConvertStageError("the conversion failed " + conversion.where(), e);
        } catch (IOException | UncheckedIOException e) {
            if (DiskSpace.isFull(e)) {
                throw new IOException("No space left on device writing " + parquet + " (" + DiskSpace.describe(workDir)
                                      + ")", e);
            }
            throw e;
        } finally {
            if (!converted) {
                deleteQuietly(parquet);
                deleteQuietly(rejects);
            }
        }
    }

    /**
     * One file's conversion: walks the batches record by record, the first record being the header. This thread
     * converts every field of a record, rejects it or writes its share of the columns; with a second core, a
     * {@link ColumnGroupWorker} writes the other columns of the accepted records of each finished batch meanwhile.
     */
    private final class Conversion {

        private final CsvBatches batches;
        private final int[] fieldIds;
        private final RunSchema runSchema;
        private final Schema schema;
        private final boolean inferred;
        private final FieldConverter[] converters;
        private CsvBatch batch;
        private int record = -1;
        private long lastLine;
        private ColumnRowWriter writer;
        private ColumnGroupWorker worker;
        /** The input has a header and no rows: nothing to load. */
        private boolean headerOnly;
        private final ConvertProgress progress;
        private final String source;
        private WidenedColumns widening;

        /** {@code fieldIds}: the table's field id of each schema field; null: 1, 2, 3... (engines that match by name). */
        Conversion(CsvBatches batches, int[] fieldIds, String source, RunSchema runSchema, ParseProgress shown) {
            this.batches = batches;
            this.source = source;
            this.progress = new ConvertProgress(source, batches.csv(), shown);
            this.runSchema = runSchema;
            this.schema = runSchema.avro();
            this.inferred = runSchema.isInferred();
            this.converters = schema == ParquetWriterProcessor.this.schema && !inferred
                    ? ParquetWriterProcessor.this.converters : converters(schema, config, inferred);
            this.fieldIds = fieldIds != null ? fieldIds : IntStream.rangeClosed(1, schema.getFields().size()).toArray();
        }

        /**
         * The conversion's result, or null: when the input has a header and no rows ({@link #headerOnly}: nothing to
         * load), or when columns were widened and the file must be converted again.
         */
        ConversionResult run(Path parquet, Path rejectsPath) throws IOException {
            if (!advance()) {
                throw new BadInputException("the input is empty: no header row");
            }
            ColumnMapping mapping = ColumnMapping.of(batch.values(record), schema, config);
            if (!mapping.extraColumns.isEmpty()) {
                LOG.warn("Ignoring the CSV columns that are not in the schema: {}",
                        String.join(", ", mapping.extraColumns));
            }
            List<String> warnings = new ArrayList<>();
            if (!mapping.absentFields.isEmpty()) {
                String warning = "the CSV has no column for the nullable field(s) " + String.join(", ",
                        mapping.absentFields) + " of the schema: they are null in every row";
                LOG.warn("The {}", warning.substring(4));
                warnings.add(warning);
            }
            if (inferred) {
                widening = new WidenedColumns();
            }
            batch.accept(record, false);
            if (!advance()) {
                headerOnly = true;
                return null;
            }
            FieldEncoder[] encoders = encoders(mapping);
            int[] columnOfField = mapping.columnOfField;
            long read = 0;
            String firstReject = null;
            int[][] groups = fieldGroups(schema, encoders.length, !batches.readsAhead());
            try (RejectsFile rejects = new RejectsFile(rejectsPath, CsvFormats.csvFormat(config))) {
                writer = openWriter(parquet, fieldIds, groups);
                if (groups.length > 1) {
                    worker = new ColumnGroupWorker(writer.group(1), encoders(mapping), columnOfField, batches);
                }
                ColumnRowWriter.Group columns = writer.group(0);
                int[] reads = fieldsToRead(encoders, columnOfField, groups[0]);
                RowLines rowLines = new RowLines();
                long written = 0;
                do {
                    read++;
                    String problem = readRecord(encoders, reads, columnOfField, mapping);
                    // once a column is widened this pass's rows are converted again: nothing more is written
                    boolean write = problem == null && (widening == null || !widening.any());
                    batch.accept(record, write);
                    if (write) {
                        columns.write(encoders);
                        rowLines.note(written++, batch.line(record));
                        continue;
                    }
                    if (problem == null || problem == WIDENED) {
                        continue;
                    }
                    long line = batch.line(record);
                    String where = "line " + line + ", " + problem;
                    if (config.onBadRow() == ConvertConfig.OnBadRow.FAIL) {
                        throw new BadInputException(where);
                    }
                    if (firstReject == null) {
                        firstReject = where;
                    }
                    rejects.add(line, problem, batch.values(record));
                    if (rejects.count() > config.maxRejects()) {
                        throw new BadInputException("more than " + config.maxRejects()
                                + " rows were rejected (pipeline.convert.maxRejects); the first: " + firstReject);
                    }
                } while (advance());
                if (worker != null) {
                    worker.drain();
                }
                if (widening != null && widening.any()) {
                    return null;
                }
                writer.close();
                rejects.close();
                long rejected = rejects.count();
                CsvBytes csv = batches.csv();
                boolean compressed = csv != null && csv.compression() != CsvBytes.Compression.NONE;
                ConversionResult result = new ConversionResult(read, read - rejected, rejected, parquet,
                        rejects.pathIfWritten(), Files.size(parquet), warnings,
                        compressed ? csv.compression().describe() : null, compressed ? csv.csvBytesRead() : null,
                        rowLines);
                LOG.info("Converted {} rows into {} ({} bytes), {} rejected{}", result.rowsWritten(), parquet,
                        result.parquetBytes(), rejected, compressed ? String.format(Locale.ROOT,
                                ", from %,d bytes of %s holding %,d bytes of CSV", csv.storedSize(),
                                result.compression(), result.csvBytes()) : "");
                return result;
            } finally {
                if (worker != null) {
                    worker.close();
                }
                if (writer != null) {
                    writer.abandon();
                }
            }
        }

        /**
         * The fields this thread reads: those it writes, and any other whose value may be rejected, so that a record
         * is known to be good before any of it is written. A string never is.
         */
        private int[] fieldsToRead(FieldEncoder[] encoders, int[] columnOfField, int[] written) {
            return IntStream.range(0, encoders.length)
                    .filter(f -> columnOfField[f] >= 0)
                    .filter(f -> encoders[f].mayReject() || IntStream.of(written).anyMatch(w -> w == f))
                    .toArray();
        }

        /**
         * Reads the fields of {@code reads} of the current record; returns why the record is bad, {@link #WIDENED}
         * when a value widened its column (an inferred schema's: every field is read, to find every column to widen),
         * or null.
         */
        private String readRecord(FieldEncoder[] encoders, int[] reads, int[] columnOfField, ColumnMapping mapping) {
            int fields = batch.fieldCount(record);
            if (fields != mapping.columnCount) {
                return "expected " + mapping.columnCount + " fields as in the header, found " + fields;
            }
            String outcome = null;
            for (int f : reads) {
                int field = batch.field(record, columnOfField[f]);
                if (widening != null && widening.widened(f)) {
                    widening.note(f, batch.text(field), batch.line(record));
                    outcome = WIDENED;
                    continue;
                }
                try {
                    encoders[f].read(batch, field);
                } catch (InvalidValueException e) {
                    String text = batch.text(field);
                    if (widening != null && widening.note(f, text, batch.line(record))) {
                        outcome = WIDENED;
                        continue;
                    }
                    return "column " + mapping.labels[f] + ", value '" + clip(text) + "': " + e.getMessage()
                            + nullStringHint(text, schema.getFields().get(f));
                }
            }
            return outcome;
        }

        /** The run's schema with the columns this pass widened, for the next pass. */
        RunSchema widenedSchema() {
            List<RunSchema.Widening> found = widening.widenings();
            RunSchema wider = runSchema.widened(widening.schema(), found);
            for (RunSchema.Widening w : found) {
                LOG.info("The inferred schema did not hold every value: {}", w.describe());
            }
            if (wider.passes() >= MAX_PASSES) {
                throw new IllegalStateException("the CSV was converted " + wider.passes() + " times and still has"
                        + " values its inferred schema does not hold, " + found.get(0).describe()
                        + "; give a schema (pipeline.convert.schema)");
            }
            LOG.info("Converting {} again with the widened column(s) {}", source, found.stream()
                    .map(w -> w.column() + " " + w.to()).toList());
            return wider;
        }

        /**
         * Moves to the next record, passing a finished batch on; false at the end. A parse error becomes a
         * {@link BadInputException} saying after which record it happened.
         */
        private boolean advance() throws IOException {
            if (batch != null) {
                lastLine = batch.line(record);
                if (++record < batch.records()) {
                    return true;
                }
                batchDone();
            }
            try {
                batch = batches.next();
            } catch (UncheckedIOException | IllegalStateException e) {
                if (batches.isClosed()) {
                    throw e;
                }
                for (Throwable t = e; t != null; t = t.getCause()) {
                    if (t instanceof CsvBytes.ReadFailure failure) {
                        // the file, not the CSV: worth another attempt, which reads it again from its start
                        throw new CsvBytes.ReadFailure(failure);
                    }
                }
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                throw new BadInputException("the CSV cannot be parsed " + where() + ": " + cause.getMessage(), e);
            }
            record = 0;
            return batch != null;
        }

        /** Where the conversion got to, for a message. */
        String where() {
            return lastLine == 0 ? "at its start" : "after the record on line " + lastLine;
        }

        /** Hands the batch to the worker (or back to the reader) and ends the row group when it is full. */
        private void batchDone() throws IOException {
            CsvBatch done = batch;
            batch = null;
            progress.batchDone(done.records(), done.bytesUsed());
            if (worker != null) {
                worker.submit(done);
            } else {
                batches.release(done);
            }
            if (writer == null) {
                return;
            }
            writer.group(0).publishSize();
            if (writer.rowGroupFull()) {
                if (worker != null) {
                    worker.drain();
                }
                writer.endRowGroup();
                writer.startRowGroup();
            }
        }

        private FieldEncoder[] encoders(ColumnMapping mapping) {
            List<Schema.Field> fields = schema.getFields();
            FieldEncoder[] encoders = new FieldEncoder[fields.size()];
            for (Schema.Field field : fields) {
                encoders[field.pos()] = mapping.columnOfField[field.pos()] < 0
                        ? FieldEncoder.missing(field, config)
                        : FieldEncoder.forField(field, config, converters[field.pos()], inferred);
            }
            return encoders;
        }

        private ColumnRowWriter openWriter(Path parquet, int[] fieldIds, int[][] groups) throws IOException {
            return new ColumnRowWriter(new LocalOutputFile(parquet), schema, fieldIds, codec, rowGroupSize,
                    config.pageSize(), groups);
        }

        /**
         * The columns of an inferred schema that this pass widened: each one's type widened by every value it did not
         * hold ({@link ColumnType#join}), and the first such value and its line, for the report.
         */
        private final class WidenedColumns {

            private final ColumnType[] widened;
            private final long[] firstLine;
            private final String[] firstValue;
            private boolean any;

            WidenedColumns() {
                this.widened = new ColumnType[schema.getFields().size()];
                this.firstLine = new long[widened.length];
                this.firstValue = new String[widened.length];
            }

            boolean any() {
                return any;
            }

            boolean widened(int field) {
                return widened[field] != null;
            }

            /**
             * Widens the field's type to hold {@code text}; false when that changes nothing: the value is one the
             * type already holds, so the fault is elsewhere (the encoder's message says where).
             */
            boolean note(int field, String text, long line) {
                ColumnType current = widened[field] != null ? widened[field]
                        : ColumnType.of(schema.getFields().get(field).schema());
                if (current.kind() == ColumnType.Kind.STRING && current.nullable()) {
                    return true;
                }
                ColumnType next = values.isNull(text) ? current.asNullable()
                        : current.join(values.of(text, current));
                if (widened[field] == null) {
                    if (next.equals(current)) {
                        return false;
                    }
                    firstLine[field] = line;
                    firstValue[field] = text;
                    any = true;
                }
                widened[field] = next;
                return true;
            }

            /** Each widened column: its first value that did not fit, where, and its type before and after. */
            List<RunSchema.Widening> widenings() {
                List<RunSchema.Widening> found = new ArrayList<>();
                for (Schema.Field field : schema.getFields()) {
                    ColumnType wider = widened[field.pos()];
                    if (wider != null) {
                        found.add(new RunSchema.Widening(field.name(), firstLine[field.pos()],
                                clip(firstValue[field.pos()]), ColumnType.of(field.schema()).describeWithNulls(),
                                wider.describeWithNulls()));
                    }
                }
                return found;
            }

            /** The schema with each widened field's new type; the others as they were. */
            Schema schema() {
                List<Schema.Field> fields = new ArrayList<>();
                for (Schema.Field field : schema.getFields()) {
                    ColumnType wider = widened[field.pos()];
                    Schema type = wider != null ? wider.avro() : field.schema();
                    fields.add(new Schema.Field(field.name(), type, field.doc(),
                            AvroSchemas.isNullable(type) ? Schema.Field.NULL_DEFAULT_VALUE : null));
                }
                return Schema.createRecord(schema.getName(), schema.getDoc(), schema.getNamespace(), false, fields);
            }
        }
    }

    /** A pointer at pipeline.convert.nullString when a typed column's bad value looks like a null marker. */
    private String nullStringHint(String text, Schema.Field field) {
        if (!NULL_MARKERS.contains(text) || text.equals(config.nullString())) {
            return "";
        }
        return "; if '" + text + "' means no value, set pipeline.convert.nullString=" + text
                + (AvroSchemas.isNullable(field.schema()) ? ""
                        : " and make field " + field.name() + " nullable ([\"null\", ...] in the schema)");
    }

    /**
     * The fields this thread writes (the first group) and, with more than one core, those a worker writes, shared so
     * that both threads are about as busy. Strings cost the encoder the most; this thread also converts every field,
     * and splits the CSV too when it is not read ahead.
     */
    private static int[][] fieldGroups(Schema schema, int fieldCount, boolean parsingHere) {
        if (fieldCount < 2 || Runtime.getRuntime().availableProcessors() < 2) {
            int[] all = new int[fieldCount];
            Arrays.setAll(all, f -> f);
            return new int[][] {all};
        }
        List<Integer> byCost = new ArrayList<>();
        for (int f = 0; f < fieldCount; f++) {
            byCost.add(f);
        }
        byCost.sort(Comparator.comparingInt((Integer f) -> encodingCost(schema, f)).reversed());
        List<Integer> mine = new ArrayList<>();
        List<Integer> worker = new ArrayList<>();
        // splitting the CSV costs this thread about two thirds of a string column's encoding
        int mineCost = parsingHere ? 2 : 0;
        int workerCost = 0;
        for (int f : byCost) {
            if (workerCost <= mineCost) {
                worker.add(f);
                workerCost += encodingCost(schema, f);
            } else {
                mine.add(f);
                mineCost += encodingCost(schema, f);
            }
        }
        if (mine.isEmpty()) {
            mine.add(worker.remove(worker.size() - 1));
        }
        return new int[][] {mine.stream().sorted().mapToInt(Integer::intValue).toArray(),
            worker.stream().sorted().mapToInt(Integer::intValue).toArray()};
    }

    private static int encodingCost(Schema schema, int field) {
        Schema type = AvroSchemas.nonNull(schema.getFields().get(field).schema());
        return type.getType() == Schema.Type.STRING ? 3 : 1;
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
