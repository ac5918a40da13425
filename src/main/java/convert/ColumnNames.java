package convert;

import java.text.Normalizer;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import config.Names;
import core.BadInputException;

/**
 * The column names an inferred schema gives a CSV's header: lower-case {@code snake_case}, as S3 Tables and Athena
 * accept them ({@code Start Station} and {@code startStation} become {@code start_station}, {@code product-id}
 * {@code product_id}, {@code Crème} {@code creme}); a name that would start with a digit starts with {@code column_}, as
 * Avro's names must start with a letter.
 */
final class ColumnNames {

    private ColumnNames() {
    }

    /** Each header's column name, in order; two headers that would get one name fail naming both. */
    static String[] of(String[] header) {
        String[] names = new String[header.length];
        Map<String, Integer> byName = new HashMap<>();
        for (int c = 0; c < header.length; c++) {
            String name = name(header[c], c);
            Integer other = byName.putIfAbsent(name, c);
            if (other != null) {
                throw new BadInputException("the header's columns '" + header[other] + "' (column " + (other + 1)
                        + ") and '" + header[c] + "' (column " + (c + 1) + ") would both be named " + name
                        + " in the inferred schema; rename one of them, or give a schema (pipeline.convert.schema)");
            }
            names[c] = name;
        }
        return names;
    }

    /** The name of column {@code column} (0-based) whose header is {@code header}. */
    static String name(String header, int column) {
        String name = snakeCase(header);
        if (name.isEmpty()) {
            return "column_" + (column + 1);
        }
        // an Avro name starts with a letter or an underscore
        return Character.isDigit(name.charAt(0)) ? "column_" + name : name;
    }

    /**
     * Lower case, words joined by one underscore: a word ends at anything but a letter or digit, and where a lower-case
     * letter or digit meets an upper-case one ({@code tripId}, {@code HTTPCode}); accents go, and so does any letter
     * outside a-z. At most {@link Names#MAX_LENGTH} characters; empty when nothing is left.
     */
    private static String snakeCase(String header) {
        String plain = Normalizer.normalize(header.trim(), Normalizer.Form.NFD);
        StringBuilder out = new StringBuilder(plain.length() + 4);
        boolean gap = false;
        for (int i = 0; i < plain.length(); i++) {
            char c = plain.charAt(i);
            if (Character.getType(c) == Character.NON_SPACING_MARK) {
                continue;
            }
            boolean upper = c >= 'A' && c <= 'Z';
            boolean kept = upper || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
            if (!kept || c == '_') {
                gap = out.length() > 0;
                continue;
            }
            if (upper && out.length() > 0 && !gap && startsWord(plain, i)) {
                gap = true;
            }
            if (gap) {
                out.append('_');
                gap = false;
            }
            out.append(Character.toLowerCase(c));
        }
        String name = out.toString().toLowerCase(Locale.ROOT);
        return name.length() > Names.MAX_LENGTH ? name.substring(0, Names.MAX_LENGTH) : name;
    }

    // an upper-case letter after a lower-case letter or digit (tripId), or the last capital of a run before a
    // lower-case letter (HTTPCode: Code)
    private static boolean startsWord(String text, int i) {
        char before = previousKept(text, i);
        if ((before >= 'a' && before <= 'z') || (before >= '0' && before <= '9')) {
            return true;
        }
        boolean beforeUpper = before >= 'A' && before <= 'Z';
        char after = i + 1 < text.length() ? text.charAt(i + 1) : 0;
        return beforeUpper && after >= 'a' && after <= 'z';
    }

    private static char previousKept(String text, int i) {
        for (int j = i - 1; j >= 0; j--) {
            char c = text.charAt(j);
            if (Character.getType(c) != Character.NON_SPACING_MARK) {
                return c;
            }
        }
        return 0;
    }
}
