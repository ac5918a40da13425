package lake;

/** An {@code s3://bucket/key} address split into its parts. */
record S3Location(String bucket, String key) {

    static S3Location parse(String uri) {
        String rest = null;
        for (String scheme : new String[] {"s3://", "s3a://"}) {
            if (uri.startsWith(scheme)) {
                rest = uri.substring(scheme.length());
            }
        }
        int slash = rest == null ? -1 : rest.indexOf('/');
        if (slash <= 0 || slash == rest.length() - 1) {
            throw new IllegalArgumentException("parquetUri must look like s3://bucket/key, was " + uri);
        }
        return new S3Location(rest.substring(0, slash), rest.substring(slash + 1));
    }

    @Override
    public String toString() {
        return "s3://" + bucket + "/" + key;
    }
}
