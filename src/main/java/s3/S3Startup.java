package s3;

import java.nio.file.Path;

import config.S3Config;
import org.apache.camel.support.service.ServiceSupport;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The S3 side of the start-up, a step of it: the bucket is there (created if {@code pipeline.s3.createBucket}) and
 * the pipeline's stale multipart uploads are aborted, on Amazon S3 or on the embedded server of the local profile,
 * which it starts. The client it hands out is closed when it stops.
 */
public abstract class S3Startup extends ServiceSupport {

    /** The start-up of {@code pipeline.s3.*}: the embedded server's (its files in {@code storage}) or Amazon S3's. */
    public static S3Startup of(S3Config config, Path storage) {
        return config.embedded() ? new EmbeddedS3Startup(config, storage) : new AwsS3Startup(config);
    }

    /** The client of the pipeline's S3, once started. */
    public abstract S3Client client();
}
