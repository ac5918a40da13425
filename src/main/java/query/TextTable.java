package query;

import java.util.ArrayList;
import java.util.List;

/** Renders rows as an aligned text table with a header and separators, like a SQL shell prints them. */
public final class TextTable {

    static final String NULL = "NULL";
    private static final int MAX_WIDTH = 60;

    private TextTable() {
    }

    /**
     * @param totalRows every row of the answer, to say how many were left out
     */
    public static String render(List<String> columns, List<List<String>> rows, long totalRows) {
        int[] widths = new int[columns.size()];
        List<List<String>> cells = new ArrayList<>();
        cells.add(columns.stream().map(TextTable::cell).toList());
        rows.forEach(row -> cells.add(row.stream().map(TextTable::cell).toList()));
        for (List<String> row : cells) {
            for (int i = 0; i < widths.length; i++) {
                widths[i] = Math.max(widths[i], width(row.get(i)));
            }
        }
        StringBuilder separator = new StringBuilder("+");
        for (int width : widths) {
            separator.append("-".repeat(width + 2)).append('+');
        }
        StringBuilder text = new StringBuilder();
        text.append(separator).append('\n');
        for (int r = 0; r < cells.size(); r++) {
            text.append('|');
            for (int i = 0; i < widths.length; i++) {
                String value = cells.get(r).get(i);
                text.append(' ').append(value).append(" ".repeat(widths[i] - width(value))).append(" |");
            }
            text.append('\n');
            if (r == 0) {
                text.append(separator).append('\n');
            }
        }
        text.append(separator).append('\n');
        text.append(totalRows == 1 ? "1 row" : totalRows + " rows");
        if (totalRows > rows.size()) {
            text.append(" (first ").append(rows.size()).append(" shown)");
        }
        return text.toString();
    }

    // one line per row, and no cell so wide the table stops being readable
    private static String cell(String value) {
        if (value == null) {
            return NULL;
        }
        String oneLine = value.replace("\r\n", " ").replace('\n', ' ').replace('\r', ' ').replace('\t', ' ');
        if (width(oneLine) > MAX_WIDTH) {
            int end = oneLine.offsetByCodePoints(0, MAX_WIDTH - 1);
            return oneLine.substring(0, end) + "…";
        }
        return oneLine;
    }

    private static int width(String value) {
        return value.codePointCount(0, value.length());
    }
}
