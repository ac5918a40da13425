package s3;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import lake.LocalS3;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.model.MultipartUpload;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * On the embedded S3 server: the multipart uploads a killed process left under the pipeline's key prefix are aborted
 * at start-up; uploads under other keys, or begun after this process started, are not touched.
 */
class StaleMultipartUploadsAreAbortedTest {

    @TempDir
    Path dir;

    @Test
    void onlyThePipelinesOwnStaleUploadsAreAborted() throws Exception {
        try (LocalS3 s3 = LocalS3.start(dir)) {
            s3.client().createMultipartUpload(b -> b.bucket(LocalS3.BUCKET).key("data/products.parquet"));
            s3.client().createMultipartUpload(b -> b.bucket(LocalS3.BUCKET).key("someone-else/file.bin"));

            assertEquals(0, S3Buckets.abortStaleUploads(s3.client(), LocalS3.BUCKET, "data/",
                    Instant.now().minusSeconds(3600)), "begun after the cut-off: still someone's upload");
            assertEquals(1, S3Buckets.abortStaleUploads(s3.client(), LocalS3.BUCKET, "data/",
                    Instant.now().plusSeconds(1)));

            List<String> left = s3.client().listMultipartUploads(b -> b.bucket(LocalS3.BUCKET)).uploads().stream()
                    .map(MultipartUpload::key).toList();
            assertEquals(List.of("someone-else/file.bin"), left);
        }
    }
}
