package lake;

import java.util.Objects;

import org.apache.avro.Schema;

/**
 * One Parquet file to load.
 *
 * @param parquetUri  where the convert stage uploaded it, {@code s3://bucket/key}
 * @param schema      the Avro schema the file was written with
 * @param rowsWritten rows the convert stage wrote, checked against the file's footer when positive
 * @param inputSha256 SHA-256 of the run's input (the CSV), the identity a commit records; null when unknown
 */
public record LoadRequest(String runId, String parquetUri, Schema schema, long rowsWritten, String inputSha256) {

    public LoadRequest {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(parquetUri, "parquetUri");
        Objects.requireNonNull(schema, "schema");
    }

    public LoadRequest(String runId, String parquetUri, Schema schema, long rowsWritten) {
        this(runId, parquetUri, schema, rowsWritten, null);
    }
}
