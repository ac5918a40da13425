package config;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Pattern;

import core.Printable;

/**
 * The one rule for the names a user gives that become folders, route ids, S3 keys, SQL identifiers and S3 Tables
 * names (datasets, namespaces, tables): Amazon S3 Tables' rule for tables and namespaces. Such a name cannot leave its
 * folder ({@code ../x}), break out of a quoted expression ({@code x'y}) or name a table that S3 Tables, Athena or Glue
 * would refuse later, whatever the catalog it starts in.
 */
public final class Names {

    /** The rule as a problem message says it. */
    public static final String RULE = "1 to 255 lower-case letters, digits and underscores, starting and ending with"
                                      + " a letter or a digit (Amazon S3 Tables' rule for names)";
    private static final String NAMESPACE_RULE = RULE + ", not starting with aws";
    /** The rule of a column's name as a problem message says it. */
    public static final String COLUMN_RULE = "1 to 255 lower-case letters, digits and underscores (the column names"
                                             + " S3 Tables and Athena accept)";
    /** The most characters a name may have. */
    public static final int MAX_LENGTH = 255;
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9_]*[a-z0-9])?");
    private static final Pattern COLUMN = Pattern.compile("[a-z0-9_]+");
    private static final int MAX_BYTES = MAX_LENGTH;

    private Names() {
    }

    /** Whether {@code name} follows the rule of a dataset's, a table's or a column's name. */
    public static boolean isValid(String name) {
        return name != null && NAME.matcher(name).matches()
               && name.getBytes(StandardCharsets.UTF_8).length <= MAX_BYTES;
    }

    /**
     * Whether {@code name} follows the rule of a column's name: lower-case letters, digits and underscores (Athena fails
     * on an upper-case column name, "Unsupported Federation Resource").
     */
    public static boolean isValidColumn(String name) {
        return name != null && name.length() <= MAX_LENGTH && COLUMN.matcher(name).matches();
    }

    /** Whether {@code name} follows the rule of a namespace's name: a table's, and not starting with {@code aws}. */
    public static boolean isValidNamespace(String name) {
        return isValid(name) && !name.startsWith("aws");
    }

    /** The problem with {@code name} as the value of {@code property} (a dataset or a table), if it breaks the rule. */
    public static Optional<String> problem(String property, String name) {
        return isValid(name) ? Optional.empty() : Optional.of(message(property, RULE, name));
    }

    /** The problem with {@code name} as the value of {@code property}, a namespace, if it breaks the rule. */
    public static Optional<String> namespaceProblem(String property, String name) {
        return isValidNamespace(name) ? Optional.empty() : Optional.of(message(property, NAMESPACE_RULE, name));
    }

    private static String message(String property, String rule, String name) {
        // the value as written, but on one line: a name may hold a line break or an escape sequence
        return property + " must be " + rule + ", was '" + Printable.escape(name) + "'";
    }
}
