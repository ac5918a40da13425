package lake;

import org.apache.avro.Schema;

/** What the load stage gets: the Parquet just uploaded and what the convert stage wrote into it. */
public record LoadRequest(String runId, String parquetUri, Schema schema, long rowsWritten) {
}
