package s3;

import java.time.Instant;
import java.util.List;

import config.ConfigurationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
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

    /**
     * Aborts the multipart uploads a crashed process left under {@code keyPrefix} (the pipeline's own keys), started
     * before {@code before}: S3 keeps their parts, and bills them, until someone does. Returns how many were aborted;
     * a store that cannot list uploads is left as it is.
     */
    public static int abortStaleUploads(S3Client s3, String bucket, String keyPrefix, Instant before) {
        List<MultipartUpload> stale;
        try {
            stale = s3.listMultipartUploadsPaginator(b -> b.bucket(bucket).prefix(keyPrefix)).uploads().stream()
                    .filter(upload -> upload.initiated() == null || upload.initiated().isBefore(before))
                    .toList();
        } catch (S3Exception e) {
            LOG.debug("Cannot list the multipart uploads of bucket {}: {}", bucket, e.getMessage());
            return 0;
        }
        for (MultipartUpload upload : stale) {
            s3.abortMultipartUpload(b -> b.bucket(bucket).key(upload.key()).uploadId(upload.uploadId()));
        }
        if (!stale.isEmpty()) {
            LOG.info("Aborted {} multipart upload(s) a previous process left in bucket {}: {}", stale.size(), bucket,
                    stale.stream().map(MultipartUpload::key).toList());
        }
        return stale.size();
    }

    /** When this process started: uploads begun before it belong to a process that is gone (the data dir is ours). */
    public static Instant processStart() {
        return ProcessHandle.current().info().startInstant().orElseGet(Instant::now);
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
