package lake;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** The real S3Proxy server on 127.0.0.1 over a directory, with a client and one bucket. */
public final class LocalS3 implements AutoCloseable {

    public static final String BUCKET = "uploads";

    private final S3Proxy proxy;
    private final S3Client client;

    private LocalS3(S3Proxy proxy, S3Client client) {
        this.proxy = proxy;
        this.client = client;
    }

    public static LocalS3 start(Path dir) throws Exception {
        Files.createDirectories(dir);
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(new FilesystemNio2BlobStore(dir.toString()))
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, "key", "secret")
                .build();
        proxy.start();
        S3Client client = S3Client.builder()
                .endpointOverride(URI.create("http://127.0.0.1:" + proxy.getPort()))
                .forcePathStyle(true)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("key", "secret")))
                .build();
        client.createBucket(b -> b.bucket(BUCKET));
        return new LocalS3(proxy, client);
    }

    public S3Client client() {
        return client;
    }

    /** Uploads {@code file} and returns its {@code s3://} address. */
    public String put(String key, Path file) {
        client.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromFile(file));
        return "s3://" + BUCKET + "/" + key;
    }

    @Override
    public void close() throws Exception {
        client.close();
        proxy.stop();
    }
}
