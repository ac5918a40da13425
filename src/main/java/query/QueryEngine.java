package query;

/**
 * Answers SQL over the configured table's current snapshot; one implementation per engine, one instance per run.
 * Closed when the run's query stage ends.
 */
public interface QueryEngine extends AutoCloseable {

    QueryResult query(String sql) throws Exception;

    /** {@code SELECT COUNT(*)} over the configured table, for reconciling a load with what was converted. */
    long countRows() throws Exception;

    @Override
    default void close() throws Exception {
    }
}
