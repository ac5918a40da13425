package emr;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import s3.S3Location;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Uploads the Spark job to its S3 URI, unless the object there already has the same content (sha256 metadata). */
public final class ScriptUploader {

    private static final Logger LOG = LoggerFactory.getLogger(ScriptUploader.class);
    static final String SHA256_METADATA = "sha256";

    private final S3Client s3;

    public ScriptUploader(S3Client s3) {
        this.s3 = s3;
    }

    /** Returns true when the script was uploaded, false when S3 already held the same bytes. */
    public boolean upload(Path script, String scriptUri) throws IOException {
        byte[] content = Files.readAllBytes(script);
        String sha256 = digest("SHA-256", content);
        S3Location target = S3Location.object(scriptUri);
        HeadObjectResponse existing = head(target);
        if (existing != null && (sha256.equals(existing.metadata().get(SHA256_METADATA))
                                 || digest("MD5", content).equals(existing.eTag().replace("\"", "")))) {
            LOG.info("Spark job {} unchanged at {}, not uploaded", script, scriptUri);
            return false;
        }
        s3.putObject(b -> b.bucket(target.bucket()).key(target.key()).metadata(Map.of(SHA256_METADATA, sha256))
                .contentType("text/x-python"), RequestBody.fromBytes(content));
        LOG.info("Uploaded Spark job {} to {}", script, scriptUri);
        return true;
    }

    private HeadObjectResponse head(S3Location target) {
        try {
            return s3.headObject(b -> b.bucket(target.bucket()).key(target.key()));
        } catch (NoSuchKeyException e) {
            return null;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return null;
            }
            throw e;
        }
    }

    static String digest(String algorithm, byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is part of every JVM", e);
        }
    }
}
