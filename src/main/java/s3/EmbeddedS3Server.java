package s3;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;

import org.apache.camel.support.service.ServiceSupport;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;

/**
 * The S3-compatible server of the local profile: S3Proxy in this JVM, bound to 127.0.0.1, storing objects as files
 * under {@code <data.dir>/s3}, with credentials made up at each start (so none are ever configured or logged).
 */
public final class EmbeddedS3Server extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedS3Server.class);

    private final Path storage;
    private final int port;
    private final AwsBasicCredentials credentials;
    private S3Proxy proxy;
    private URI endpoint;

    public EmbeddedS3Server(Path storage, int port) {
        this.storage = storage;
        this.port = port;
        SecureRandom random = new SecureRandom();
        this.credentials = AwsBasicCredentials.create(
                "local" + HexFormat.of().formatHex(random.generateSeed(8)),
                HexFormat.of().formatHex(random.generateSeed(20)));
    }

    @Override
    protected void doStart() throws Exception {
        Files.createDirectories(storage);
        proxy = S3Proxy.builder()
                .blobStore(new FilesystemNio2BlobStore(storage.toString()))
                .endpoint(URI.create("http://127.0.0.1:" + port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, credentials.accessKeyId(),
                        credentials.secretAccessKey())
                .build();
        proxy.start();
        while (!"STARTED".equals(proxy.getState())) {
            Thread.sleep(10);
        }
        // kept: a stopped proxy no longer knows its port, and a client's request must then be refused, not malformed
        endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
        LOG.info("Embedded S3 server listening on {} (objects under {})", endpoint, storage);
    }

    @Override
    protected void doStop() throws Exception {
        if (proxy != null) {
            proxy.stop();
        }
    }

    public URI endpoint() {
        return endpoint;
    }

    public AwsBasicCredentials credentials() {
        return credentials;
    }
}
