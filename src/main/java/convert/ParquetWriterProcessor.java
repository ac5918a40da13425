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
import java.util.UUID;
import java.util.stream.IntStream;

import core.BadInputException;
import core.DiskSpace;
import core.NothingToLoadException;
import core.Pipeline;
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
 * happened; on failure no file is left behind.
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
        CsvBatches batches = exchange.getIn().getMandatoryBody(CsvBatches.class);
        int[] fieldIds = exchange.getProperty(Pipeline.FIELD_IDS, int[].class);
        Path parquet = null;
        Path rejects = null;
        boolean converted = false;
        PipelineRun run = exchange.getProperty(Pipeline.RUN, PipelineRun.class);
        Conversion conversion = new Conversion(batches, fieldIds,
                new ConvertProgress(run != null ? run.getSource() : "the CSV"));
        try (batches) {
            Files.createDirectories(workDir);
            // a new file, not an empty one truncated: closing a truncated file makes ext4 write it out at once
            String name = "convert-" + UUID.randomUUID();
            parquet = workDir.resolve(name + ".parquet");
            rejects = workDir.resolve(name + ".rejects.csv");
            ConversionResult result = conversion.run(parquet, rejects);
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
        private CsvBatch batch;
        private int record = -1;
        private long lastLine;
        private ColumnRowWriter writer;
        private ColumnGroupWorker worker;
        private final ConvertProgress progress;

        /** {@code fieldIds}: the table's field id of each schema field; null: 1, 2, 3... (engines that match by name). */
        Conversion(CsvBatches batches, int[] fieldIds, ConvertProgress progress) {
            this.batches = batches;
            this.progress = progress;
            this.fieldIds = fieldIds != null ? fieldIds : IntStream.rangeClosed(1, schema.getFields().size()).toArray();
        }

        ConversionResult run(Path parquet, Path rejectsPath) throws IOException {
            if (!advance()) {
                throw new BadInputException("the input is empty: no header row");
            }
            ColumnMapping mapping = ColumnMapping.of(batch.values(record), schema, config);
            if (!mapping.extraColumns.isEmpty()) {
                LOG.warn("Ignoring the CSV columns that are not in the schema: {}",
                        String.join(", ", mapping.extraColumns));
            }
            batch.accept(record, false);
            if (!advance()) {
                throw new NothingToLoadException("the input has a header but no data rows");
            }
            FieldEncoder[] encoders = encoders(mapping);
            int[] columnOfField = mapping.columnOfField;
            long read = 0;
            String firstReject = null;
            int[][] groups = fieldGroups(encoders.length, !batches.readsAhead());
            try (RejectsFile rejects = new RejectsFile(rejectsPath, CsvFormats.csvFormat(config))) {
                writer = openWriter(parquet, fieldIds, groups);
                if (groups.length > 1) {
                    worker = new ColumnGroupWorker(writer.group(1), encoders(mapping), columnOfField, batches);
                }
                ColumnRowWriter.Group columns = writer.group(0);
                int[] reads = fieldsToRead(encoders, columnOfField, groups[0]);
                do {
                    read++;
                    String problem = readRecord(encoders, reads, columnOfField, mapping);
                    batch.accept(record, problem == null);
                    if (problem == null) {
                        columns.write(encoders);
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
                writer.close();
                rejects.close();
                long rejected = rejects.count();
                ConversionResult result = new ConversionResult(read, read - rejected, rejected, parquet,
                        rejects.pathIfWritten(), Files.size(parquet));
                LOG.info("Converted {} rows into {} ({} bytes), {} rejected", result.rowsWritten(), parquet,
                        result.parquetBytes(), rejected);
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

        /** Reads the fields of {@code reads} of the current record; returns why the record is bad, or null. */
        private String readRecord(FieldEncoder[] encoders, int[] reads, int[] columnOfField, ColumnMapping mapping) {
            int fields = batch.fieldCount(record);
            if (fields != mapping.columnCount) {
                return "expected " + mapping.columnCount + " fields as in the header, found " + fields;
            }
            for (int f : reads) {
                int field = batch.field(record, columnOfField[f]);
                try {
                    encoders[f].read(batch, field);
                } catch (InvalidValueException e) {
                    return "column " + mapping.labels[f] + ", value '" + clip(batch.text(field)) + "': "
                            + e.getMessage();
                }
            }
            return null;
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
                        : FieldEncoder.forField(field, config, converters[field.pos()]);
            }
            return encoders;
        }
    }

    /**
     * The fields this thread writes (the first group) and, with more than one core, those a worker writes, shared so
     * that both threads are about as busy. Strings cost the encoder the most; this thread also converts every field,
     * and splits the CSV too when it is not read ahead.
     */
    private int[][] fieldGroups(int fieldCount, boolean parsingHere) {
        if (fieldCount < 2 || Runtime.getRuntime().availableProcessors() < 2) {
            int[] all = new int[fieldCount];
            Arrays.setAll(all, f -> f);
            return new int[][] {all};
        }
        List<Integer> byCost = new ArrayList<>();
        for (int f = 0; f < fieldCount; f++) {
            byCost.add(f);
        }
        byCost.sort(Comparator.comparingInt(this::encodingCost).reversed());
        List<Integer> mine = new ArrayList<>();
        List<Integer> worker = new ArrayList<>();
        // splitting the CSV costs this thread about two thirds of a string column's encoding
        int mineCost = parsingHere ? 2 : 0;
        int workerCost = 0;
        for (int f : byCost) {
            if (workerCost <= mineCost) {
                worker.add(f);
                workerCost += encodingCost(f);
            } else {
                mine.add(f);
                mineCost += encodingCost(f);
            }
        }
        if (mine.isEmpty()) {
            mine.add(worker.remove(worker.size() - 1));
        }
        return new int[][] {mine.stream().sorted().mapToInt(Integer::intValue).toArray(),
            worker.stream().sorted().mapToInt(Integer::intValue).toArray()};
    }

    private int encodingCost(int field) {
        Schema type = AvroSchemas.nonNull(schema.getFields().get(field).schema());
        return type.getType() == Schema.Type.STRING ? 3 : 1;
    }

    private ColumnRowWriter openWriter(Path parquet, int[] fieldIds, int[][] groups) throws IOException {
        return new ColumnRowWriter(new LocalOutputFile(parquet), schema, fieldIds, codec, rowGroupSize,
                config.pageSize(), groups);
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
