package query;

/** Answers SQL over the configured table's current snapshot; one implementation per engine. */
public interface QueryEngine {

    QueryResult query(String sql) throws Exception;

    /** {@code SELECT COUNT(*)} over the configured table, for reconciling a load with what was converted. */
    long countRows() throws Exception;
}
