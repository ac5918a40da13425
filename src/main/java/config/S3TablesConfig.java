package config;

import java.net.URI;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code pipeline.s3tables.*} for the catalog {@code s3tables}: the table bucket, and the Iceberg REST endpoint that
 * Amazon S3 Tables serves for it ({@code https://s3tables.<region>.amazonaws.com/iceberg} unless overridden). The
 * region is the ARN's; a configured region that disagrees with the ARN is refused, since the request would be signed
 * for the wrong region. The S3 endpoint, path style and table location prefix are for emulators; AWS needs none of
 * them (it chooses each table's location itself).
 */
public record S3TablesConfig(
        String tableBucketArn,
        String region,
        URI endpoint,
        Optional<URI> s3Endpoint,
        boolean s3PathStyle,
        Optional<String> tableLocationPrefix) {

    public static final String ARN_PROPERTY = "pipeline.s3tables.tableBucketArn";

    private static final Pattern TABLE_BUCKET_ARN =
            Pattern.compile("arn:aws[a-z-]*:s3tables:([a-z0-9-]+):(\\d{12}):bucket/([a-z0-9][a-z0-9-]{1,61}[a-z0-9])");

    public static S3TablesConfig from(Settings s) {
        String arn = s.optional(ARN_PROPERTY).orElse("");
        Matcher m = TABLE_BUCKET_ARN.matcher(arn);
        String arnRegion = "";
        if (arn.isEmpty()) {
            s.problem(ARN_PROPERTY + " is required when pipeline.table.catalog is s3tables, for example"
                      + " arn:aws:s3tables:us-east-1:123456789012:bucket/ecommerce-lakehouse");
        } else if (!m.matches()) {
            s.problem(ARN_PROPERTY + " must look like arn:aws:s3tables:<region>:<12-digit account>:bucket/<name>,"
                      + " was " + arn);
        } else {
            arnRegion = m.group(1);
        }
        Optional<String> configured = s.optional("pipeline.s3tables.region");
        if (configured.isPresent() && !arnRegion.isEmpty() && !configured.get().equals(arnRegion)) {
            s.problem("pipeline.s3tables.region is " + configured.get() + " but the table bucket " + arn + " ("
                      + ARN_PROPERTY + ") is in " + arnRegion);
        }
        String region = configured.orElse(arnRegion);
        URI endpoint = s.url("pipeline.s3tables.endpoint")
                .orElseGet(() -> URI.create("https://s3tables." + region + ".amazonaws.com/iceberg"));
        return new S3TablesConfig(
                arn,
                region,
                endpoint,
                s.url("pipeline.s3tables.s3Endpoint"),
                s.bool("pipeline.s3tables.s3PathStyle"),
                tableLocationPrefix(s));
    }

    /** {@code pipeline.s3tables.tableLocationPrefix}, checked, without a trailing slash. */
    static Optional<String> tableLocationPrefix(Settings s) {
        Optional<String> prefix = s.optional("pipeline.s3tables.tableLocationPrefix");
        prefix.filter(p -> !p.matches("s3://[^/]+(/.*)?")).ifPresent(p -> s.problem(
                "pipeline.s3tables.tableLocationPrefix must be an s3:// URI (or empty on AWS), was " + p));
        return prefix.map(p -> p.replaceAll("/+$", ""));
    }

    /** The table bucket's name, the last part of its ARN. */
    public String bucketName() {
        return tableBucketArn.substring(tableBucketArn.lastIndexOf('/') + 1);
    }
}
