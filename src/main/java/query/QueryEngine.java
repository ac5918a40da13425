package query;

/**
 * Answers SQL over the configured table's current snapshot; one implementation per engine, one instance per run.
 * Closed when the run's query stage ends.
 */
public interface QueryEngine extends AutoCloseable {

    /** The answer to {@code sql}: its first rows printed, every row in the run's results file if one is asked for. */
    QueryResult query(String sql) throws Exception;

    /**
     * The first rows of the configured table and its row count {@code tableRows} (as {@link #countRows} counted), read
     * without the rest of the table: a run's default query, whose cost does not grow with the table.
     */
    QueryResult preview(long tableRows) throws Exception;

    /** {@code SELECT COUNT(*)} over the configured table, for reconciling a load with what was converted. */
    long countRows() throws Exception;

    @Override
    default void close() throws Exception {
    }
}
