package query;

import java.nio.file.Path;
import java.util.List;

/**
 * The answer to one query.
 *
 * @param rowCount     every row of the answer, not only the printed ones
 * @param resultsFile  the whole answer as CSV, header row first; null when no results file was asked for
 * @param printedTable the first rows as an aligned text table, for the log and the run report
 */
public record QueryResult(List<String> columns, long rowCount, Path resultsFile, String printedTable) {

    public QueryResult {
        columns = List.copyOf(columns);
    }
}
