package convert;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import config.ConvertConfig;
import core.BadInputException;
import core.Pipeline;
import core.RunSchema;
import org.apache.avro.Schema;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sets the run's schema ({@link Pipeline#SCHEMA}): the dataset's own Avro schema, or, when it has none, one inferred
 * from the CSV's header and its first {@code pipeline.convert.inferSampleRows} rows. Column names are the header's in
 * {@code snake_case} ({@link ColumnNames}); each column gets the narrowest type that holds every value of the sample
 * ({@link ColumnType}, {@link ValueTypes}) and is optional when one of them was empty. The sample is read with the
 * parser the convert uses; a record whose field count differs from the header's is left to the convert to reject.
 */
public final class SchemaInference implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(SchemaInference.class);
    private static final String RECORD_NAME = "Row";
    private static final int LOGGED_COLUMNS = 20;

    private final ConvertConfig config;
    private final Schema given;

    /** {@code given}: the dataset's schema, loaded from {@code config.schema()}; null to infer one for each run. */
    public SchemaInference(ConvertConfig config, Schema given) {
        this.config = config;
        this.given = given;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        if (given != null) {
            exchange.setProperty(Pipeline.SCHEMA, RunSchema.given(given, config.schema().orElse("")));
            return;
        }
        Path csv = exchange.getProperty(Pipeline.INPUT_FILE, Path.class);
        InferredSchema inferred = infer(csv, config, config.inferSampleRows());
        List<String> columns = inferred.columns().stream().map(c -> c.name() + " " + c.type()).toList();
        LOG.info("Inferred the schema from the first {} rows of {}: {}{}", inferred.sampleRows(), csv.getFileName(),
                String.join(", ", columns.subList(0, Math.min(columns.size(), LOGGED_COLUMNS))),
                columns.size() > LOGGED_COLUMNS ? " and " + (columns.size() - LOGGED_COLUMNS) + " more" : "");
        exchange.setProperty(Pipeline.SCHEMA, RunSchema.inferred(inferred.avro(), inferred.sampleRows()));
    }

    /** Infers the schema of {@code csv} from its header and first {@code sampleRows} data rows. */
    public static InferredSchema infer(Path csv, ConvertConfig config, int sampleRows) throws IOException {
        ValueTypes values = new ValueTypes(config);
        try (CsvBatches batches = CsvFormats.read(csv, config)) {
            Sample sample = new Sample(batches);
            CsvBatch batch = sample.next();
            if (batch == null) {
                throw new BadInputException("the input is empty: no header row");
            }
            String[] header = batch.values(0);
            String[] names = ColumnNames.of(header);
            ColumnType[] types = new ColumnType[header.length];
            Arrays.fill(types, ColumnType.NONE);
            long[] nulls = new long[header.length];
            String[] examples = new String[header.length];
            long rows = 0;
            int record = 1;
            while (rows < sampleRows) {
                if (record == batch.records()) {
                    batches.release(batch);
                    batch = sample.next();
                    if (batch == null) {
                        break;
                    }
                    record = 0;
                }
                if (batch.fieldCount(record) == header.length) {
                    rows++;
                    for (int c = 0; c < header.length; c++) {
                        int field = batch.field(record, c);
                        if (types[c].kind() == ColumnType.Kind.STRING && examples[c] != null
                            && batch.end(field) > batch.start(field) && config.nullString().isEmpty()) {
                            continue;
                        }
                        String text = batch.text(field);
                        if (values.isNull(text)) {
                            nulls[c]++;
                            types[c] = types[c].asNullable();
                        } else {
                            if (examples[c] == null) {
                                examples[c] = text;
                            }
                            if (types[c].kind() != ColumnType.Kind.STRING) {
                                types[c] = types[c].join(values.of(text, types[c]));
                            }
                        }
                    }
                }
                sample.lastLine = batch.line(record);
                record++;
            }
            return schema(header, names, types, examples, nulls, rows);
        }
    }

    private static InferredSchema schema(String[] header, String[] names, ColumnType[] types, String[] examples,
                                         long[] nulls, long rows) {
        List<Schema.Field> fields = new ArrayList<>();
        List<InferredSchema.Column> columns = new ArrayList<>();
        for (int c = 0; c < header.length; c++) {
            Schema type = types[c].avro();
            String doc = header[c].equals(names[c]) ? null : "CSV column '" + header[c] + "'";
            fields.add(new Schema.Field(names[c], type, doc,
                    AvroSchemas.isNullable(type) ? Schema.Field.NULL_DEFAULT_VALUE : null));
            columns.add(new InferredSchema.Column(header[c], names[c], types[c].describe(), examples[c], nulls[c]));
        }
        return new InferredSchema(Schema.createRecord(RECORD_NAME, null, null, false, fields), rows, columns);
    }

    /** The batches of the sample; a CSV that cannot be parsed fails as the convert would fail on it. */
    private static final class Sample {

        private final CsvBatches batches;
        private long lastLine;

        Sample(CsvBatches batches) {
            this.batches = batches;
        }

        CsvBatch next() throws IOException {
            try {
                return batches.next();
            } catch (UncheckedIOException | IllegalStateException e) {
                for (Throwable t = e; t != null; t = t.getCause()) {
                    if (t instanceof CsvBytes.ReadFailure failure) {
                        throw new CsvBytes.ReadFailure(failure);
                    }
                }
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                throw new BadInputException("the CSV cannot be parsed "
                        + (lastLine == 0 ? "at its start" : "after the record on line " + lastLine) + ": "
                        + cause.getMessage(), e);
            }
        }
    }
}
