package app;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import athena.AthenaQueries;
import athena.AthenaQueryEngine;
import athena.AthenaSql;
import config.AthenaConfig;
import config.PipelineConfig;
import config.TableConfig;
import emr.EmrLoadEngine;
import emr.EmrServerlessLoadEngine;
import lake.EmbeddedIcebergLoadEngine;
import lake.LoadEngine;
import org.apache.camel.CamelContext;
import query.DuckDbQueryEngine;
import query.QueryEngineFactory;
import query.ReadOnlySql;
import software.amazon.awssdk.services.s3.S3Client;
import spark.SparkSubmitLoadEngine;

/** The one place where {@code pipeline.engine} and {@code pipeline.query.engine} pick an implementation. */
final class Engines {

    private Engines() {
    }

    /** The load engine of a dataset: a service, which the start-up starts and the context stops. */
    static LoadEngine loadEngine(PipelineConfig config, Supplier<S3Client> s3) {
        return switch (config.engine()) {
            case EMBEDDED -> new EmbeddedIcebergLoadEngine(config.table(), s3, config.stateDir().resolve("loads"));
            case EMR -> EmrLoadEngine.create(config.emr().orElseThrow(), config.dataDir());
            case EMR_SERVERLESS -> EmrServerlessLoadEngine.create(config.emrServerless().orElseThrow(),
                                                                  config.dataDir());
            case SPARK_SUBMIT -> new SparkSubmitLoadEngine(config.spark().orElseThrow(), config.table(), s3);
        };
    }

    /** The query engine of a dataset; DuckDB sees the tables of every dataset, so a query may join them. */
    static QueryEngineFactory queryEngines(CamelContext context, PipelineConfig config, List<TableConfig> tables) {
        return queryEngines(context, config, config.table(), tables);
    }

    /**
     * The query engine of a dataset's settings, over {@code tables}; DuckDB's queries are about {@code table} (the
     * one a run counts), Athena's about the table of {@code pipeline.athena.*}.
     */
    static QueryEngineFactory queryEngines(CamelContext context, PipelineConfig config, TableConfig table,
                                           List<TableConfig> tables) {
        return switch (config.queryEngine()) {
            case DUCKDB -> runId -> new DuckDbQueryEngine(table, tables, config.query(), runId);
            case ATHENA -> {
                // shared by the datasets; stopping the context stops a query still running
                AthenaConfig athena = config.athena().orElseThrow();
                AthenaQueries queries = AthenaQueries.bind(context, athena);
                yield runId -> new AthenaQueryEngine(queries, athena, config.query().resultsDir(), runId);
            }
        };
    }

    /**
     * What is wrong with the dataset's own {@code pipeline.query.sql}, if anything: it must be one statement that only
     * reads, as the query engine's parser (DuckDB's) or scan (Athena's) sees it. The default query is the app's own.
     */
    static Optional<String> queryProblem(PipelineConfig config) {
        if (config.query().wholeTable()) {
            return Optional.empty();
        }
        return readOnlyProblem(config, "pipeline.query.sql", config.query().sql());
    }

    /** What is wrong with {@code sql}, named {@code what}, for the dataset's query engine: one statement that reads. */
    static Optional<String> readOnlyProblem(PipelineConfig config, String what, String sql) {
        return switch (config.queryEngine()) {
            case DUCKDB -> ReadOnlySql.problem(what, sql);
            case ATHENA -> AthenaSql.readOnlyProblem(what, sql);
        };
    }

    /** What the query engine of a dataset begins at start-up: DuckDB loads its native library meanwhile. */
    static Optional<Runnable> queryEngineAhead(PipelineConfig config) {
        return switch (config.queryEngine()) {
            case DUCKDB -> Optional.of(DuckDbQueryEngine::loadNativeLibraryInBackground);
            case ATHENA -> Optional.empty();
        };
    }
}
