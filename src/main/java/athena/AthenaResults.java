package athena;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import core.Pipeline;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.Message;
import org.apache.camel.component.aws2.athena.Athena2Constants;
import org.apache.camel.support.SynchronizationAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import query.QueryResult;
import query.ResultsFiles;
import software.amazon.awssdk.services.athena.model.ColumnInfo;
import software.amazon.awssdk.services.athena.model.Datum;
import software.amazon.awssdk.services.athena.model.GetQueryResultsResponse;
import software.amazon.awssdk.services.athena.model.Row;

/**
 * The steps of the Athena routes around GetQueryResults: where the rows go (the run's results file, or a count), each
 * page handed over without the header row Athena puts first, and the answer the route ends with.
 */
public final class AthenaResults {

    /** Exchange property: the {@link Reading} of the exchange's results. */
    static final String READING = "athenaResultsReading";

    private static final Logger LOG = LoggerFactory.getLogger(AthenaResults.class);

    /**
     * The rows go to {@code <resultsDir>/<runId>.csv} (the execution id without a run), closed with the exchange;
     * without a results folder they are counted and the first ones kept for printing, no file written.
     */
    public void toResultsFile(Exchange exchange) throws IOException {
        Message message = exchange.getMessage();
        String runId = message.getHeader(Pipeline.RUN_ID, String.class);
        String name = runId != null ? runId : AthenaQueries.execution(exchange).id;
        String resultsDir = message.getHeader(Pipeline.RESULTS_DIR, String.class);
        Path file = resultsDir == null ? null : Path.of(resultsDir).resolve(ResultsFiles.name(name));
        ResultsWriter writer = new ResultsWriter(file, required(message, Pipeline.PRINT_ROWS, Integer.class));
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                try {
                    writer.close();
                } catch (IOException e) {
                    LOG.warn("Could not close {}: {}", writer.file(), e.getMessage());
                }
            }
        });
        exchange.setProperty(READING, new Reading(writer));
    }

    /** The rows are kept in memory: a {@code COUNT(*)} answers with one. */
    public void toRows(Exchange exchange) {
        exchange.setProperty(READING, new Reading(new Rows()));
    }

    /** The first page, then one more as long as Athena gives a next token. */
    public boolean morePages(Exchange exchange) {
        Reading reading = exchange.getProperty(READING, Reading.class);
        String nextToken = exchange.getMessage().getHeader(Athena2Constants.NEXT_TOKEN, String.class);
        return reading.pages == 0 || nextToken != null && !nextToken.isEmpty();
    }

    /** After GetQueryResults: the page's rows to the handler; the first page's first row is the header. */
    public void page(Exchange exchange) throws IOException, InvalidPayloadException {
        Reading reading = exchange.getProperty(READING, Reading.class);
        GetQueryResultsResponse response = exchange.getMessage().getMandatoryBody(GetQueryResultsResponse.class);
        List<Row> rows = response.resultSet().rows();
        int first = 0;
        if (reading.pages == 0) {
            List<String> columns = response.resultSet().resultSetMetadata() == null ? List.of()
                    : response.resultSet().resultSetMetadata().columnInfo().stream().map(ColumnInfo::name)
                            .collect(Collectors.toList());
            if (!rows.isEmpty() && values(rows.get(0)).equals(columns)) {
                first = 1;
            }
            reading.handler.columns(columns);
        }
        for (int i = first; i < rows.size(); i++) {
            reading.handler.row(values(rows.get(i)));
        }
        reading.pages++;
    }

    /** The body becomes the {@link QueryResult}: columns, every row counted, the file, the first rows as a table. */
    public QueryResult queryResult(Exchange exchange) throws IOException {
        Reading reading = exchange.getProperty(READING, Reading.class);
        ResultsWriter writer = (ResultsWriter) reading.handler;
        writer.close();
        String executionId = AthenaQueries.execution(exchange).id;
        LOG.debug("Athena query {}: read {} result pages", executionId, reading.pages);
        if (writer.file() != null) {
            LOG.info("Athena query {} returned {} rows, written to {}", executionId, writer.rowCount(), writer.file());
        } else {
            LOG.info("Athena query {} returned {} rows", executionId, writer.rowCount());
        }
        return new QueryResult(writer.columns(), writer.rowCount(), writer.file(), writer.printedTable());
    }

    /** The body becomes the one number of the one row a {@code COUNT(*)} answers with. */
    public long count(Exchange exchange) {
        Rows rows = (Rows) exchange.getProperty(READING, Reading.class).handler;
        if (rows.values.size() != 1 || rows.values.get(0).isEmpty() || rows.values.get(0).get(0) == null) {
            AthenaQueries.Execution query = AthenaQueries.execution(exchange);
            throw new AthenaQueryException("Athena query " + query.id + " (" + query.sql + ") returned "
                                           + rows.values.size() + " rows, expected one");
        }
        return Long.parseLong(rows.values.get(0).get(0).trim());
    }

    private static <T> T required(Message message, String header, Class<T> type) {
        T value = message.getHeader(header, type);
        if (value == null) {
            throw new IllegalArgumentException("header " + header + " is required by direct:athena-query");
        }
        return value;
    }

    private static List<String> values(Row row) {
        return row.data().stream().map(Datum::varCharValue).collect(Collectors.toCollection(ArrayList::new));
    }

    /** Where one exchange's rows go, and how many pages were read. */
    static final class Reading {

        final ResultHandler handler;
        int pages;

        Reading(ResultHandler handler) {
            this.handler = handler;
        }
    }

    /** Every row in memory, for answers of one row. */
    private static final class Rows implements ResultHandler {

        final List<List<String>> values = new ArrayList<>();

        @Override
        public void columns(List<String> names) {
        }

        @Override
        public void row(List<String> row) {
            values.add(row);
        }
    }
}
