package athena;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import core.Printable;

/**
 * Qualifies references to the pipeline's table with the S3 Tables catalog, because Camel's aws2-athena has no catalog
 * option: {@code "data"."products"}, {@code data.products} and a bare {@code FROM products} become
 * {@code "s3tablescatalog/<bucket>"."data"."products"}; references that already name a catalog are left alone.
 */
public final class AthenaSql {

    /** The statements that only read, by their first word ({@code EXPLAIN ANALYZE} would run what it explains). */
    private static final Set<String> READING = Set.of("SELECT", "WITH", "VALUES", "TABLE", "SHOW", "DESCRIBE");

    private AthenaSql() {
    }

    /**
     * What is wrong with {@code sql} as the value of {@code property} for Athena, if anything: it must be one statement
     * that only reads. Athena's parser is not at hand before the query runs, so the SQL is scanned outside its string
     * literals, quoted identifiers and comments for the statements it holds and the first word of each.
     */
    public static Optional<String> readOnlyProblem(String property, String sql) {
        List<String> statements = firstWords(sql);
        if (statements.size() != 1) {
            return Optional.of(property + " must be one statement, it holds " + statements.size() + "; was '"
                               + Printable.escape(sql) + "'");
        }
        if (!READING.contains(statements.get(0))) {
            return Optional.of(property + " must be one statement that only reads (" + String.join(", ",
                    READING.stream().sorted().toList()) + "), was a " + statements.get(0) + " statement: '"
                               + Printable.escape(sql) + "'");
        }
        return Optional.empty();
    }

    /** The first word of each statement of {@code sql}, upper-case, outside strings, quoted names and comments. */
    static List<String> firstWords(String sql) {
        List<String> words = new ArrayList<>();
        boolean named = false;
        int i = 0;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (sql.startsWith("--", i)) {
                int end = sql.indexOf('\n', i);
                i = end < 0 ? sql.length() : end + 1;
            } else if (sql.startsWith("/*", i)) {
                int end = sql.indexOf("*/", i + 2);
                i = end < 0 ? sql.length() : end + 2;
            } else if (c == '\'' || c == '"') {
                i = endOfQuoted(sql, i, c);
                if (!named) {
                    words.add(String.valueOf(c));
                    named = true;
                }
            } else if (c == ';') {
                named = false;
                i++;
            } else if (Character.isWhitespace(c) || c == '(' && !named) {
                i++;
            } else if (!named) {
                int end = i;
                while (end < sql.length() && Character.isLetter(sql.charAt(end))) {
                    end++;
                }
                words.add(end > i ? sql.substring(i, end).toUpperCase(Locale.ROOT) : String.valueOf(c));
                named = true;
                i = Math.max(end, i + 1);
            } else {
                i++;
            }
        }
        return words;
    }

    // past the closing quote; a doubled quote is one quote character of the literal or name
    private static int endOfQuoted(String sql, int start, char quote) {
        int i = start + 1;
        while (i < sql.length()) {
            if (sql.charAt(i) == quote) {
                if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            i++;
        }
        return i;
    }

    public static String qualify(String sql, String qualifiedTable, String database, String table) {
        String db = identifier(database);
        String tb = identifier(table);
        // database.table not preceded by a '.' (that would mean a catalog is already named)
        Pattern dotted = Pattern.compile("(?<![.\\w\"])" + db + "\\s*\\.\\s*" + tb + "(?![\\w\"])",
                                         Pattern.CASE_INSENSITIVE);
        String result = dotted.matcher(sql).replaceAll(Matcher.quoteReplacement(qualifiedTable));
        Pattern bare = Pattern.compile("(?<=\\b(?:FROM|JOIN)\\s{1,20})" + tb + "(?![\\w\".])",
                                       Pattern.CASE_INSENSITIVE);
        return bare.matcher(result).replaceAll(Matcher.quoteReplacement(qualifiedTable));
    }

    /** An identifier, quoted or not. */
    private static String identifier(String name) {
        return "(?:\"" + Pattern.quote(name) + "\"|" + Pattern.quote(name) + ")";
    }
}
