package s3;

import config.S3Config;
import software.amazon.awssdk.services.s3.S3Client;

/** Amazon S3 at start-up: the client, the bucket checked (or created), and the pipeline's stale uploads aborted. */
final class AwsS3Startup extends S3Startup {

    private final S3Config config;
    private S3Client client;

    AwsS3Startup(S3Config config) {
        this.config = config;
    }

    @Override
    protected void doStart() {
        client = S3Clients.forAws(config);
        try {
            S3Buckets.ensureExists(client, config.bucket(), config.createBucket());
            S3Buckets.abortStaleUploads(client, config.bucket(), config.keyPrefix(), S3Buckets.processStart());
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
    }

    @Override
    public S3Client client() {
        return client;
    }

    @Override
    protected void doStop() {
        if (client != null) {
            client.close();
        }
    }
}
