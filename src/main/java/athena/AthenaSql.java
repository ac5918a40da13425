package athena;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Qualifies references to the pipeline's table with the S3 Tables catalog, because Camel's aws2-athena has no catalog
 * option: {@code "data"."products"}, {@code data.products} and a bare {@code FROM products} become
 * {@code "s3tablescatalog/<bucket>"."data"."products"}; references that already name a catalog are left alone.
 */
public final class AthenaSql {

    private AthenaSql() {
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
