package s3;

/** An {@code s3://bucket/key} URI split into its parts; {@code s3n://} and {@code s3a://} (EMR log URIs) accepted. */
public record S3Location(String bucket, String key) {

    public static S3Location parse(String uri) {
        int scheme = uri.indexOf("://");
        if (scheme < 0 || !uri.substring(0, scheme).matches("s3[an]?")) {
            throw new IllegalArgumentException("not an s3:// URI: " + uri);
        }
        String rest = uri.substring(scheme + 3);
        int slash = rest.indexOf('/');
        return slash < 0 ? new S3Location(rest, "") : new S3Location(rest.substring(0, slash), rest.substring(slash + 1));
    }

    /** An object's address: the key must not be empty. */
    public static S3Location object(String uri) {
        S3Location location;
        try {
            location = parse(uri);
        } catch (IllegalArgumentException e) {
            location = null;
        }
        if (location == null || location.bucket().isEmpty() || location.key().isEmpty()
            || location.key().endsWith("/")) {
            throw new IllegalArgumentException("must look like s3://bucket/key, was " + uri);
        }
        return location;
    }

    /** This location with path segments appended, one '/' between each. */
    public S3Location resolve(String... segments) {
        StringBuilder k = new StringBuilder(key.replaceAll("/+$", ""));
        for (String segment : segments) {
            if (k.length() > 0) {
                k.append('/');
            }
            k.append(segment);
        }
        return new S3Location(bucket, k.toString());
    }

    @Override
    public String toString() {
        return "s3://" + bucket + "/" + key;
    }
}
