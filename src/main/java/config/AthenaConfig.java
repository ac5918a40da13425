package config;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * {@code pipeline.athena.*}: where and how the query engine {@code athena} runs. The catalog defaults to
 * {@code s3tablescatalog/<table bucket name>} from {@code pipeline.s3tables.tableBucketArn}, the database to the
 * namespace ({@code pipeline.table.namespace}).
 */
public record AthenaConfig(
        String workgroup,
        String outputLocation,
        String catalog,
        String database,
        String table,
        Duration waitTimeout,
        Duration pollInterval,
        int maxAttempts,
        String retry,
        int pageSize,
        int printRows,
        Optional<String> region,
        Optional<URI> endpoint) {

    private static final Set<String> RETRY = Set.of("never", "always", "retryable", "exhausted", "generic");

    public static AthenaConfig from(Settings s) {
        String outputLocation = s.string("pipeline.athena.outputLocation");
        if (!outputLocation.isEmpty() && !outputLocation.matches("s3://[^/]+.*")) {
            s.problem("pipeline.athena.outputLocation must be an s3:// URI, was " + outputLocation);
        }
        if (!outputLocation.isEmpty() && !outputLocation.endsWith("/")) {
            outputLocation = outputLocation + "/";
        }

        Optional<String> catalog = s.optional("pipeline.athena.catalog");
        Optional<String> arn = s.optional("pipeline.s3tables.tableBucketArn");
        if (catalog.isEmpty() && arn.isEmpty()) {
            s.problem("pipeline.athena.catalog or pipeline.s3tables.tableBucketArn is required (the catalog is"
                      + " s3tablescatalog/<table bucket name>), neither was set");
        }
        String catalogName = catalog.orElseGet(() -> arn.map(a -> "s3tablescatalog/" + EmrConfig.tableBucketName(a))
                .orElse(""));

        String retry = s.string("pipeline.athena.retry");
        for (String part : retry.split(",")) {
            if (!RETRY.contains(part.trim())) {
                s.problem("pipeline.athena.retry must be never, always, retryable, or a list of exhausted and generic,"
                          + " was " + retry);
                break;
            }
        }

        Duration waitTimeout = s.duration("pipeline.athena.waitTimeout");
        Duration pollInterval = s.duration("pipeline.athena.pollInterval");
        if (pollInterval.isZero() || pollInterval.isNegative() || waitTimeout.compareTo(pollInterval) < 0) {
            s.problem("pipeline.athena.pollInterval must be positive and at most pipeline.athena.waitTimeout, was "
                      + s.optional("pipeline.athena.pollInterval").orElse(""));
        }

        Optional<URI> endpoint = s.url("pipeline.athena.endpoint");
        // a database of the S3 Tables catalog is a namespace of the table bucket
        Optional<String> database = s.optional("pipeline.athena.database");
        database.flatMap(name -> Names.namespaceProblem("pipeline.athena.database", name)).ifPresent(s::problem);

        return new AthenaConfig(
                s.string("pipeline.athena.workgroup"),
                outputLocation,
                catalogName,
                // empty means derived: the table's namespace
                database.orElseGet(() -> s.string("pipeline.table.namespace")),
                s.string("pipeline.table.name"),
                waitTimeout,
                pollInterval,
                s.integer("pipeline.athena.maxAttempts", 1, 10),
                retry,
                s.integer("pipeline.athena.pageSize", 1, 1000),
                s.integer("pipeline.query.printRows", 0, 10_000),
                s.optional("pipeline.athena.region").or(() -> s.optional("pipeline.emr.region")),
                endpoint);
    }

    /** The table as Athena names it in SQL: {@code "s3tablescatalog/<bucket>"."data"."products"}. */
    public String qualifiedTable() {
        return quote(catalog) + "." + quote(database) + "." + quote(table);
    }

    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
