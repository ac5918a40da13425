package s3;

import config.ConfigurationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Start-up check of the target bucket: created when allowed, otherwise a missing bucket stops the app. */
public final class S3Buckets {

    private static final Logger LOG = LoggerFactory.getLogger(S3Buckets.class);

    private S3Buckets() {
    }

    public static void ensureExists(S3Client s3, String bucket, boolean create) {
        try {
            s3.headBucket(b -> b.bucket(bucket));
        } catch (NoSuchBucketException e) {
            missing(s3, bucket, create);
        } catch (S3Exception e) {
            if (e.statusCode() != 404) {
                throw new ConfigurationException("pipeline.s3.bucket=" + bucket + ": cannot access the bucket ("
                                                 + e.statusCode() + " " + e.awsErrorDetails().errorMessage() + ")");
            }
            missing(s3, bucket, create);
        }
    }

    private static void missing(S3Client s3, String bucket, boolean create) {
        if (!create) {
            throw new ConfigurationException("pipeline.s3.bucket=" + bucket
                                             + ": the bucket does not exist (create it, or set pipeline.s3.createBucket=true)");
        }
        s3.createBucket(b -> b.bucket(bucket));
        LOG.info("Created bucket {}", bucket);
    }
}
