package lake;

import java.util.Optional;

import core.RunSchema;
import org.apache.avro.Schema;
import org.apache.camel.Service;

/**
 * Loads a converted Parquet file into the configured Iceberg table; one implementation per engine. An engine is a
 * service of the app: started with it (it clears up what a killed process left), stopped with it (it ends the work it
 * started: EMR terminates the clusters it created, spark-submit kills its jobs).
 */
public interface LoadEngine extends Service {

    LoadResult load(LoadRequest request) throws Exception;

    /**
     * The commit that already loaded the input of SHA-256 {@code inputSha256} into the table, looked up before the
     * run converts anything; empty when this engine cannot tell before its load (the load then checks itself).
     */
    default Optional<CommitIdentity.PriorLoad> findLoad(String inputSha256) throws Exception {
        return Optional.empty();
    }

    /**
     * Whether the table may hold an input of {@code inputBytes} bytes already, as {@link #findLoad} would tell: when it
     * may not, a run converts while its input's SHA-256 is still being computed, instead of waiting for it. False for
     * an engine that cannot look an input up before its load (its load checks).
     */
    default boolean mayHold(long inputBytes) throws Exception {
        return false;
    }

    /**
     * The table's field id of each field of {@code schema}, for a converted file that the load adds to the table as it
     * is (an engine may create the missing table for it); null when the engine reads the file by column name.
     */
    default int[] fieldIds(Schema schema) throws Exception {
        return null;
    }

    /**
     * The run's schema as the table takes it, with the table's field ids ({@link #fieldIds}), before each conversion.
     * An engine that cannot see the table keeps the schema as it is (its load checks the file against the table).
     */
    default SchemaFit fit(RunSchema schema) throws Exception {
        return new SchemaFit(schema, fieldIds(schema.avro()));
    }

    /**
     * Called at start-up when a one-shot run of {@code schema} is coming: the engine may do on a thread of its own
     * meanwhile what the run's {@link #fieldIds} would do first (open the catalog, create a missing table), so that
     * the run does not wait for it. {@code schema} is null when it will be inferred from the input.
     */
    default void prepareAhead(org.apache.avro.Schema schema) {
    }

    /**
     * The app's stop, having waited for the runs in flight, is about to pass its timeout: loads still waiting on
     * something outside this process (a spark-submit job, an EMR step) end now and fail saying the app is stopping,
     * instead of holding the stop up past it. A load that only works in this process has nothing to do.
     */
    default void stopRuns() {
    }
}
