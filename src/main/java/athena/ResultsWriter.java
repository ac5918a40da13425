package athena;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes every row to a CSV file (header first), when there is one, and keeps the first rows for an aligned text
 * table; counts the rows either way.
 */
final class ResultsWriter implements ResultHandler, AutoCloseable {

    private final Path file;
    private final Writer out;
    private List<String> columns = List.of();
    private final int printRows;
    private final List<List<String>> firstRows = new ArrayList<>();
    private long rowCount;

    /** {@code file}: where every row goes; null for none. */
    ResultsWriter(Path file, int printRows) throws IOException {
        this.file = file;
        if (file != null) {
            Files.createDirectories(file.toAbsolutePath().getParent());
            this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        } else {
            this.out = Writer.nullWriter();
        }
        this.printRows = printRows;
    }

    @Override
    public void columns(List<String> names) throws IOException {
        columns = List.copyOf(names);
        writeLine(columns);
    }

    @Override
    public void row(List<String> row) throws IOException {
        writeLine(row);
        if (firstRows.size() < printRows) {
            firstRows.add(row);
        }
        rowCount++;
    }

    /** The results file; null when none was asked for. */
    Path file() {
        return file;
    }

    long rowCount() {
        return rowCount;
    }

    List<String> columns() {
        return columns;
    }

    /** The first rows as a table with aligned columns; NULL for a missing value. */
    String printedTable() {
        int[] width = new int[columns.size()];
        for (int i = 0; i < width.length; i++) {
            width[i] = columns.get(i).length();
            for (List<String> row : firstRows) {
                width[i] = Math.max(width[i], text(row, i).length());
            }
        }
        StringBuilder table = new StringBuilder();
        appendRow(table, columns, width);
        for (int i = 0; i < width.length; i++) {
            table.append(i == 0 ? "" : "-+-").append("-".repeat(width[i]));
        }
        table.append('\n');
        firstRows.forEach(row -> appendRow(table, row, width));
        if (rowCount > firstRows.size()) {
            table.append("(").append(firstRows.size()).append(" of ").append(rowCount).append(" rows)\n");
        }
        return table.toString();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }

    private static void appendRow(StringBuilder table, List<String> row, int[] width) {
        for (int i = 0; i < width.length; i++) {
            String cell = text(row, i);
            table.append(i == 0 ? "" : " | ").append(cell).append(" ".repeat(width[i] - cell.length()));
        }
        table.setLength(table.length() - trailingSpaces(table));
        table.append('\n');
    }

    private static int trailingSpaces(StringBuilder s) {
        int n = 0;
        while (n < s.length() && s.charAt(s.length() - 1 - n) == ' ') {
            n++;
        }
        return n;
    }

    private static String text(List<String> row, int i) {
        String value = i < row.size() ? row.get(i) : null;
        return value == null ? "NULL" : value;
    }

    private void writeLine(List<String> values) throws IOException {
        if (file == null) {
            return;
        }
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.write(csv(values.get(i)));
        }
        out.write('\n');
    }

    static String csv(String value) {
        if (value == null) {
            return "";
        }
        if (value.isEmpty() || value.matches("(?s).*[\",\r\n].*") || !value.strip().equals(value)) {
            return "\"" + value.replace("\"", "\"\"") + "\"";
        }
        return value;
    }
}
