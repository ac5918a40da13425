package routes;

import athena.AthenaQueries;
import athena.AthenaQueryEngine;
import config.AthenaConfig;
import org.apache.camel.builder.endpoint.EndpointRouteBuilder;
import org.apache.camel.builder.endpoint.dsl.Athena2EndpointBuilderFactory.Athena2EndpointBuilder;
import org.apache.camel.component.aws2.athena.Athena2Operations;
import org.apache.camel.component.aws2.athena.Athena2OutputType;

/**
 * Query engine {@code athena}: every Athena call of a run's query, shared by all runs and datasets, each query an
 * exchange of its own. In: the SQL in the body, the run's database and output location in the component's headers,
 * its run id, results folder and printed rows in {@link AthenaQueries}' headers. Out: the {@code QueryResult}
 * ({@code direct:athena-query}) or the count ({@code direct:athena-count}). Failures go back to the caller, the query
 * stage, whose error channel decides. Present only with {@code pipeline.query.engine=athena}, which binds
 * {@code #athenaClient} and the steps' beans; the wait's settings are the shared {@code pipeline.athena.*}.
 */
public final class AthenaRoutes extends EndpointRouteBuilder {

    private static final String QUERIES = AthenaQueries.NAME;
    private static final String RESULTS = AthenaQueries.RESULTS;

    @Override
    public void configure() {
        AthenaQueries queries = getContext().getRegistry().lookupByNameAndType(QUERIES, AthenaQueries.class);
        if (queries == null) {
            return; // another query engine
        }
        AthenaConfig config = queries.config();
        // a failure goes back to the query stage, whose error channel redelivers or fails the run
        errorHandler(noErrorHandler());

        // the rows to <resultsDir>/<runId>.csv; the body becomes the QueryResult

        from(direct(AthenaQueryEngine.QUERY)).routeId("athena-query")
                .to(direct("athena-run"))
                .bean(RESULTS, "toResultsFile")
                .to(direct("athena-results"))
                .bean(RESULTS, "queryResult");

        // the body becomes the one number of a SELECT COUNT(*)
        from(direct(AthenaQueryEngine.COUNT)).routeId("athena-count")
                .to(direct("athena-run"))
                .bean(RESULTS, "toRows")
                .to(direct("athena-results"))
                .bean(RESULTS, "count");

        // StartQueryExecution, again after a FAILED attempt as pipeline.athena.retry allows; throws unless SUCCEEDED.
        // The component's own wait is off (waitTimeout 0): the wait below can stop a query, the component's cannot
        from(direct("athena-run")).routeId("athena-run")
                .bean(QUERIES, "begin")
                .loopDoWhile(method(QUERIES, "startsAgain"))
                    .bean(QUERIES, "attempt")
                    .to(athena(Athena2Operations.startQueryExecution)
                            .workGroup("{{pipeline.athena.workgroup}}")
                            .waitTimeout(0)
                            .maxAttempts(1))
                    .bean(QUERIES, "started")
                    .to(direct("athena-wait"))
                .end()
                .bean(QUERIES, "succeeded");

        // GetQueryExecution until the query ends, pipeline.athena.waitTimeout passes or the app stops
        from(direct("athena-wait")).routeId("athena-wait")
                .doTry()
                    .loopDoWhile(method(QUERIES, "waiting"))
                        .bean(QUERIES, "pause") // pipeline.athena.pollInterval
                        .to(athena(Athena2Operations.getQueryExecution))
                        .bean(QUERIES, "polled")
                    .end().endDoTry()
                .doFinally()
                    // timed out, the app stopping or a failed poll: the query is not left to run (and bill)
                    .filter(method(QUERIES, "unfinished"))
                        .bean(QUERIES, "stopQueryExecution")
                    .end()
                .end()
                .bean(QUERIES, "waited");

        // GetQueryResults, page after page of pipeline.athena.pageSize rows, while Athena gives a next token
        from(direct("athena-results")).routeId("athena-results")
                .loopDoWhile(method(RESULTS, "morePages"))
                    .to(athena(Athena2Operations.getQueryResults)
                            .outputType(Athena2OutputType.SelectList)
                            .maxResults(config.pageSize()))
                    .bean(RESULTS, "page")
                .end();
    }

    /** The component's endpoint for one operation, with the client bound in the registry ({@code #athenaClient}). */
    private Athena2EndpointBuilder athena(Athena2Operations operation) {
        Athena2EndpointBuilder endpoint = aws2Athena("query").operation(operation);
        endpoint.advanced().amazonAthenaClient("#" + AthenaQueries.CLIENT);
        return endpoint;
    }
}
