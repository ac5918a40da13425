package lake;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import app.BadInputException;
import app.NothingToLoadException;
import config.TableConfig;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotSummary;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.util.PropertyUtil;
import org.apache.iceberg.Transaction;
import org.apache.iceberg.UpdateSchema;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetReaders;
import org.apache.iceberg.data.parquet.GenericParquetWriter;
import org.apache.iceberg.exceptions.CommitStateUnknownException;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.mapping.MappingUtil;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.types.Types;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.schema.MessageType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import s3.S3Location;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Loads with the Iceberg Java library in this JVM: the Parquet file is downloaded from S3 to a temporary file, its rows
 * are read with Iceberg's generic reader and written as a new data file under the table location, and one commit
 * replaces (overwrite) or extends (append) the table. Nothing is committed until the data file is complete, so a
 * failure leaves the previous snapshot current.
 */
public final class EmbeddedIcebergLoadEngine implements LoadEngine {

    /** Snapshot summary property naming the pipeline run that committed the snapshot. */
    public static final String RUN_ID_PROPERTY = "pipeline.run-id";

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedIcebergLoadEngine.class);

    private final TableConfig config;
    private final S3Client s3;

    public EmbeddedIcebergLoadEngine(TableConfig config, S3Client s3) {
        this.config = config;
        this.s3 = s3;
    }

    @Override
    public LoadResult load(LoadRequest request) throws Exception {
        S3Location source = S3Location.object(request.parquetUri());
        Schema input = AvroToIceberg.convert(request.schema());
        Path local = S3Downloads.toTempFile(s3, request.parquetUri());
        try (IcebergTables tables = IcebergTables.open(config)) {
            long fileRows = checkFile(local, source, input, request.rowsWritten());
            tables.createNamespaceIfMissing();
            Optional<Table> existing = tables.find();
            long previousRows = existing.map(t -> totalRecords(t.currentSnapshot())).orElse(0L);
            Transaction transaction = existing.isPresent()
                    ? existing.get().newTransaction()
                    : tables.catalog().buildTable(tables.identifier(), input)
                            .withProperty(TableProperties.FORMAT_VERSION, "2")
                            .createTransaction();
            if (existing.isPresent()) {
                reconcileSchema(existing.get(), input, source, transaction);
            }
            Table target = transaction.table();
            if (target.spec().isPartitioned()) {
                throw new IllegalStateException("Table " + config.qualifiedName() + " is partitioned by "
                        + target.spec() + "; the embedded engine writes unpartitioned tables only");
            }
            DataFile dataFile = writeDataFile(target, local, source, request.runId());
            commit(transaction, target, dataFile, request.runId());
            long snapshotId = transaction.table().currentSnapshot().snapshotId();
            LOG.info("Loaded {} rows from {} into {} ({} mode), snapshot {}, {} rows before",
                    fileRows, source, config.qualifiedName(), config.mode().name().toLowerCase(), snapshotId,
                    previousRows);
            return new LoadResult(config.qualifiedName(), snapshotId, dataFile.recordCount(), previousRows);
        } finally {
            Files.deleteIfExists(local);
        }
    }

    /** Checks the file is Parquet, has every column of the schema and the expected row count; returns its row count. */
    private static long checkFile(Path local, S3Location source, Schema input, long rowsWritten) {
        MessageType fileSchema;
        long rows;
        try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(local))) {
            fileSchema = reader.getFooter().getFileMetaData().getSchema();
            rows = reader.getRecordCount();
        } catch (IOException | RuntimeException e) {
            throw new BadInputException(source + " is not a readable Parquet file: " + e.getMessage(), e);
        }
        List<String> absent = new ArrayList<>();
        for (Types.NestedField column : input.columns()) {
            if (!fileSchema.containsField(column.name())) {
                absent.add(column.name());
            }
        }
        if (!absent.isEmpty()) {
            throw new BadInputException(source + " lacks column(s) " + String.join(", ", absent)
                                        + " declared by its schema");
        }
        if (rows == 0) {
            throw new NothingToLoadException(source + " holds no rows");
        }
        if (rowsWritten > 0 && rows != rowsWritten) {
            throw new BadInputException(source + " holds " + rows + " rows but " + rowsWritten + " were written");
        }
        return rows;
    }

    private void reconcileSchema(Table table, Schema input, S3Location source, Transaction transaction) {
        SchemaDifferences differences = SchemaDifferences.between(table.schema(), input);
        if (differences.none()) {
            return;
        }
        boolean evolve = config.schemaEvolution() == TableConfig.SchemaEvolution.ADD_COLUMNS;
        if (!differences.incompatible().isEmpty() || !evolve) {
            String hint = !differences.extra().isEmpty() && !evolve
                    ? "; set pipeline.table.schemaEvolution=add-columns to add new columns" : "";
            throw new BadInputException("The schema of " + source + " does not match table "
                    + config.qualifiedName() + ": " + String.join("; ", differences.all()) + hint
                    + ". The table was left unchanged");
        }
        UpdateSchema update = transaction.updateSchema();
        for (Types.NestedField column : differences.extra()) {
            update.addColumn(column.name(), column.type(), column.doc());
        }
        update.commit();
        LOG.info("Adding column(s) {} to {}", differences.extra().stream().map(SchemaDifferences::describe).toList(),
                config.qualifiedName());
    }

    private static DataFile writeDataFile(Table target, Path local, S3Location source, String runId)
            throws IOException {
        Schema schema = target.schema();
        String location = target.locationProvider().newDataLocation(fileName(runId));
        OutputFile out = target.io().newOutputFile(location);
        DataWriter<Record> writer = Parquet.writeData(out)
                .forTable(target)
                .set(TableProperties.PARQUET_ROW_GROUP_SIZE_BYTES, String.valueOf(rowGroupSize(target)))
                .createWriterFunc(GenericParquetWriter::create)
                .overwrite()
                .build();
        boolean written = false;
        try (CloseableIterable<Record> rows = Parquet.read(org.apache.iceberg.Files.localInput(local.toFile()))
                .project(schema)
                // the input has no Iceberg field ids: its columns are matched to the table's by name
                .withNameMapping(MappingUtil.create(schema))
                .createReaderFunc(fileSchema -> GenericParquetReaders.buildReader(schema, fileSchema))
                .build()) {
            for (Record row : rows) {
                writer.write(row);
            }
            writer.close();
            written = true;
        } catch (RuntimeException e) {
            throw new BadInputException("Cannot read the rows of " + source + ": " + e.getMessage(), e);
        } finally {
            if (!written) {
                closeQuietly(writer);
                deleteQuietly(target, location);
            }
        }
        return writer.toDataFile();
    }

    /**
     * The table's row group size, at most an eighth of the heap: Parquet keeps a whole row group in memory until it is
     * flushed, and the load must fit a small heap whatever the size of the input.
     */
    private static long rowGroupSize(Table target) {
        long configured = PropertyUtil.propertyAsLong(target.properties(), TableProperties.PARQUET_ROW_GROUP_SIZE_BYTES,
                TableProperties.PARQUET_ROW_GROUP_SIZE_BYTES_DEFAULT);
        return Math.min(configured, Math.max(4L << 20, Runtime.getRuntime().maxMemory() / 8));
    }

    private void commit(Transaction transaction, Table target, DataFile dataFile, String runId) {
        try {
            if (config.mode() == TableConfig.Mode.OVERWRITE) {
                transaction.newOverwrite()
                        .overwriteByRowFilter(Expressions.alwaysTrue())
                        .addFile(dataFile)
                        .set(RUN_ID_PROPERTY, runId)
                        .commit();
            } else {
                transaction.newAppend()
                        .appendFile(dataFile)
                        .set(RUN_ID_PROPERTY, runId)
                        .commit();
            }
            transaction.commitTransaction();
        } catch (CommitStateUnknownException e) {
            throw e; // the commit may have succeeded: the data file must stay
        } catch (RuntimeException e) {
            deleteQuietly(target, dataFile.location());
            throw e;
        }
    }

    private static long totalRecords(Snapshot snapshot) {
        if (snapshot == null) {
            return 0;
        }
        Map<String, String> summary = snapshot.summary();
        return Long.parseLong(summary.getOrDefault(SnapshotSummary.TOTAL_RECORDS_PROP, "0"));
    }

    private static String fileName(String runId) {
        return runId.replaceAll("[^A-Za-z0-9_.-]", "_") + "-" + UUID.randomUUID() + ".parquet";
    }

    private static void closeQuietly(DataWriter<Record> writer) {
        try {
            writer.close();
        } catch (IOException | RuntimeException e) {
            LOG.debug("Ignoring a failure to close an abandoned data file", e);
        }
    }

    private static void deleteQuietly(Table table, String location) {
        try {
            table.io().deleteFile(location);
        } catch (RuntimeException e) {
            LOG.warn("Cannot delete the abandoned data file {}: {}", location, e.getMessage());
        }
    }
}
