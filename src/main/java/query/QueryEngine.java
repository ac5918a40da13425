package query;

/** Runs pipeline.query.sql against the loaded table; one implementation per engine, chosen by pipeline.query.engine. */
public interface QueryEngine {

    QueryResult query(String sql) throws Exception;

    long countRows() throws Exception;
}
