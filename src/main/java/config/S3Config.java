package config;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code pipeline.s3.*}: where the Parquet goes, and how to reach S3 (AWS, or the embedded server of the local profile). */
public record S3Config(
        String bucket,
        String keyTemplate,
        String region,
        Optional<URI> endpoint,
        boolean pathStyle,
        boolean embedded,
        int embeddedPort,
        boolean createBucket,
        String serverSideEncryption,
        Optional<String> kmsKeyId,
        long partSize) {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^}]*)}");

    public static S3Config from(Settings s) {
        boolean embedded = s.bool("pipeline.s3.embedded");
        Optional<URI> endpoint = s.url("pipeline.s3.endpoint");
        String sse = s.string("pipeline.s3.serverSideEncryption").toLowerCase(Locale.ROOT);
        if (!sse.matches("none|aes256|aws:kms")) {
            s.problem("pipeline.s3.serverSideEncryption must be one of none, AES256, aws:kms, was " + sse);
        }
        String bucket = s.string("pipeline.s3.bucket");
        if (!bucket.isEmpty() && !bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
            s.problem("pipeline.s3.bucket must be a valid bucket name (3-63 characters: a-z, 0-9, '.', '-'), was "
                      + bucket);
        }
        String keyTemplate = s.string("pipeline.s3.key");
        if (keyTemplate.startsWith("/")) {
            s.problem("pipeline.s3.key must not start with '/', was " + keyTemplate);
        }
        Matcher placeholder = PLACEHOLDER.matcher(keyTemplate);
        while (placeholder.find()) {
            if (!placeholder.group(1).matches("dataset|date|runId")) {
                s.problem("pipeline.s3.key has an unknown placeholder {" + placeholder.group(1)
                          + "} (known: {dataset}, {date}, {runId}), was " + keyTemplate);
            }
        }
        return new S3Config(
                bucket,
                keyTemplate,
                s.string("pipeline.s3.region"),
                endpoint,
                s.bool("pipeline.s3.pathStyle"),
                embedded,
                s.integer("pipeline.s3.embeddedPort", 0, 65535),
                s.bool("pipeline.s3.createBucket"),
                sse,
                s.optional("pipeline.s3.kmsKeyId"),
                s.number("pipeline.s3.partSize", 5L * 1024 * 1024, 5L * 1024 * 1024 * 1024));
    }

    /** The fixed start of every key the pipeline writes: the key template up to its first placeholder. */
    public String keyPrefix() {
        int placeholder = keyTemplate.indexOf('{');
        return placeholder < 0 ? keyTemplate : keyTemplate.substring(0, placeholder);
    }
}
