package convert;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import core.BadInputException;
import config.ConvertConfig;
import org.apache.avro.Schema;

/**
 * Which CSV column feeds which schema field, decided once from the header. A column matches a field by exact name, or
 * failing that after normalisation ({@code " Product-ID "} matches {@code product_id}), or by the name an inferred
 * schema gives it ({@code startStation} matches {@code start_station}).
 */
final class ColumnMapping {

    /** Per field (schema order): the column index, or -1 when the nullable field has no column. */
    final int[] columnOfField;
    /** Per field: how a message names it, the header's spelling first. */
    final String[] labels;
    final int columnCount;
    final List<String> extraColumns;
    /** The nullable fields the header has no column for: null in every row. */
    final List<String> absentFields;

    private ColumnMapping(int[] columnOfField, String[] labels, int columnCount, List<String> extraColumns,
                          List<String> absentFields) {
        this.columnOfField = columnOfField;
        this.labels = labels;
        this.columnCount = columnCount;
        this.extraColumns = extraColumns;
        this.absentFields = absentFields;
    }

    static ColumnMapping of(String[] header, Schema schema, ConvertConfig config) {
        refuseDuplicates(header);
        List<Schema.Field> fields = schema.getFields();
        String[] normalised = new String[header.length];
        for (int c = 0; c < header.length; c++) {
            normalised[c] = normalise(header[c]);
        }
        boolean[] used = new boolean[header.length];
        int[] columnOfField = new int[fields.size()];
        String[] labels = new String[fields.size()];
        List<String> missing = new ArrayList<>();
        List<String> absent = new ArrayList<>();
        for (Schema.Field field : fields) {
            int column = find(field.name(), header, normalised);
            columnOfField[field.pos()] = column;
            if (column >= 0) {
                used[column] = true;
                labels[field.pos()] = header[column].equals(field.name())
                        ? field.name()
                        : "'" + header[column] + "' (field " + field.name() + ")";
            } else if (!AvroSchemas.isNullable(field.schema())) {
                missing.add(field.name());
            } else {
                absent.add(field.name());
                labels[field.pos()] = field.name();
            }
        }
        if (!missing.isEmpty()) {
            throw new BadInputException("the header has no column for the required field(s) "
                    + String.join(", ", missing) + "; the header found is " + Arrays.toString(header)
                    + delimiterHint(header, config.delimiter()));
        }
        List<String> extra = new ArrayList<>();
        for (int c = 0; c < header.length; c++) {
            if (!used[c]) {
                extra.add(header[c]);
            }
        }
        if (!extra.isEmpty() && config.strict()) {
            throw new BadInputException("the header has columns that are not in the schema: " + String.join(", ", extra)
                    + " (pipeline.convert.strict is true)");
        }
        return new ColumnMapping(columnOfField, labels, header.length, List.copyOf(extra), List.copyOf(absent));
    }

    /** A column named twice would leave one of the two unread, so which one is loaded would be a guess. */
    private static void refuseDuplicates(String[] header) {
        Map<String, Integer> firstColumn = new HashMap<>();
        for (int c = 0; c < header.length; c++) {
            Integer first = firstColumn.putIfAbsent(header[c], c);
            if (first != null) {
                throw new BadInputException("the header names the column '" + header[c] + "' twice (columns "
                        + (first + 1) + " and " + (c + 1) + ")");
            }
        }
    }

    /** Trimmed, lower case, and every character outside [a-z0-9_] replaced by '_'. */
    static String normalise(String name) {
        String lower = name.trim().toLowerCase(Locale.ROOT);
        StringBuilder out = new StringBuilder(lower.length());
        for (int i = 0; i < lower.length(); i++) {
            char c = lower.charAt(i);
            out.append((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ? c : '_');
        }
        return out.toString();
    }

    private static int find(String fieldName, String[] header, String[] normalised) {
        for (int c = 0; c < header.length; c++) {
            if (header[c].equals(fieldName)) {
                return c;
            }
        }
        String wanted = normalise(fieldName);
        int found = -1;
        for (int c = 0; c < header.length; c++) {
            if (normalised[c].equals(wanted)) {
                found = another(found, c, header, fieldName);
            }
        }
        if (found >= 0) {
            return found;
        }
        // the name an inferred schema gives the column (startStation: start_station)
        for (int c = 0; c < header.length; c++) {
            if (ColumnNames.name(header[c], c).equals(fieldName)) {
                found = another(found, c, header, fieldName);
            }
        }
        return found;
    }

    private static int another(int found, int column, String[] header, String fieldName) {
        if (found >= 0) {
            throw new BadInputException("the header columns '" + header[found] + "' and '" + header[column]
                    + "' both match the field " + fieldName);
        }
        return column;
    }

    private static String delimiterHint(String[] header, char delimiter) {
        if (header.length != 1) {
            return "";
        }
        for (char other : new char[] {',', ';', '\t', '|'}) {
            if (other != delimiter && header[0].indexOf(other) >= 0) {
                return " (a single column: the header contains '" + (other == '\t' ? "\\t" : other)
                        + "', is pipeline.convert.delimiter '" + delimiter + "' right?)";
            }
        }
        return "";
    }
}
