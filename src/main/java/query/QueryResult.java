package query;

import java.nio.file.Path;
import java.util.List;

/** The answer of a query: its columns, how many rows, where all rows were written, and the first rows as text. */
public record QueryResult(List<String> columns, long rowCount, Path resultsFile, String printedTable) {
}
