package lake;

import java.util.Objects;

import org.apache.avro.Schema;

/**
 * One Parquet file to load.
 *
 * @param parquetUri  where the convert stage uploaded it, {@code s3://bucket/key}
 * @param schema      the Avro schema the file was written with
 * @param rowsWritten rows the convert stage wrote, checked against the file's footer when positive
 */
public record LoadRequest(String runId, String parquetUri, Schema schema, long rowsWritten) {

    public LoadRequest {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(parquetUri, "parquetUri");
        Objects.requireNonNull(schema, "schema");
    }
}
