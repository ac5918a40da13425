package query;

/** Makes the query engine of one run (results are named after the run). */
@FunctionalInterface
public interface QueryEngineFactory {

    QueryEngine forRun(String runId);
}
