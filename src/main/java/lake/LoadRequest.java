package lake;

import java.nio.file.Path;
import java.util.Objects;

import org.apache.avro.Schema;

/**
 * One Parquet file to load, and the identity its commit records ({@link CommitIdentity}).
 *
 * @param runId       the run loading it
 * @param parquetUri  where the convert stage uploaded it, {@code s3://bucket/key}
 * @param schema      the Avro schema the file was written with
 * @param rowsWritten rows the convert stage wrote, checked against the file's footer when positive
 * @param inputSha256 SHA-256 of the run's input (the CSV); null when unknown
 * @param trigger     what started the run ({@code file}, {@code http}, {@code once}); null when unknown
 * @param source      where the input came from, secrets masked; null when unknown
 * @param parquetFile the run's own converted file on this machine; null when only {@code parquetUri} is known
 * @param inputBytes  the size of the run's input (the CSV); negative when unknown
 * @param merge       the input's keys, for {@code pipeline.table.mode=merge}; null in the other modes
 * @param csv         when the Spark job converts the input ({@code pipeline.convert.on}): {@code parquetUri} is then
 *                    the CSV as received, and this says where its convert spec is and its rejects go; null otherwise
 */
public record LoadRequest(String runId, String parquetUri, Schema schema, long rowsWritten, String inputSha256,
                          String trigger, String source, Path parquetFile, long inputBytes, MergeInput merge,
                          CsvInput csv) {

    /**
     * The CSV the Spark job converts: its convert spec ({@code convert.SparkConvertSpec}), where rejects go, and the
     * ending of its name ({@code .csv.gz}), by which Spark tells its compression.
     */
    public record CsvInput(String specUri, String rejectsUri, String extension) {
    }

    public LoadRequest(String runId, String parquetUri, Schema schema, long rowsWritten, String inputSha256,
                       String trigger, String source, Path parquetFile, long inputBytes, MergeInput merge) {
        this(runId, parquetUri, schema, rowsWritten, inputSha256, trigger, source, parquetFile, inputBytes, merge,
                null);
    }

    public LoadRequest {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(parquetUri, "parquetUri");
        Objects.requireNonNull(schema, "schema");
    }

    public LoadRequest(String runId, String parquetUri, Schema schema, long rowsWritten, String inputSha256,
                       String trigger, String source, Path parquetFile, long inputBytes) {
        this(runId, parquetUri, schema, rowsWritten, inputSha256, trigger, source, parquetFile, inputBytes, null);
    }

    public LoadRequest(String runId, String parquetUri, Schema schema, long rowsWritten, String inputSha256,
                       String trigger, String source, Path parquetFile) {
        this(runId, parquetUri, schema, rowsWritten, inputSha256, trigger, source, parquetFile, -1);
    }

    public LoadRequest(String runId, String parquetUri, Schema schema, long rowsWritten, String inputSha256) {
        this(runId, parquetUri, schema, rowsWritten, inputSha256, null, null, null);
    }

    public LoadRequest(String runId, String parquetUri, Schema schema, long rowsWritten) {
        this(runId, parquetUri, schema, rowsWritten, null);
    }
}
