package s3;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import config.S3Config;
import org.apache.camel.support.service.ServiceSupport;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.endpoints.S3EndpointProvider;

/**
 * Starts the embedded S3 server and the bucket on a thread of their own while Camel builds and starts the routes.
 * The client handed out exists at once (with the credentials the server made up); each of its requests resolves the
 * server's endpoint, which waits for the server and the bucket. The context's start waits for them too, so a server
 * or bucket that fails still stops the start-up. Stopping closes the client, then stops the server.
 */
public final class EmbeddedS3Startup extends ServiceSupport {

    private final EmbeddedS3Server server;
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private final S3Client client;

    public EmbeddedS3Startup(S3Config config, Path storage) {
        server = new EmbeddedS3Server(storage, config.embeddedPort());
        Thread starter = new Thread(() -> start(config), "embedded-s3-start");
        starter.setDaemon(true);
        starter.start();
        // a real client, not a java.lang.reflect.Proxy of S3Client: such a proxy initializes every request class of
        // the S3 model (2,000 classes and their lambdas, half a second of a 20-row run's start-up)
        S3EndpointProvider endpoints = S3EndpointProvider.defaultProvider();
        client = S3Clients.forEmbedded(config, server, params -> endpoints.resolveEndpoint(
                params.toBuilder().endpoint(server().endpoint().toString()).build()));
    }

    /** The client of the embedded server, usable at once: its requests wait until the server and bucket are ready. */
    public S3Client client() {
        return client;
    }

    /** The server, once it and the bucket are ready. */
    public EmbeddedS3Server server() {
        try {
            ready.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw new IllegalStateException("the embedded S3 server did not start: " + e.getCause(), e.getCause());
        }
        return server;
    }

    private void start(S3Config config) {
        try {
            server.start();
            // a client of its own: the one handed out waits for what this one prepares
            try (S3Client s3 = S3Clients.forEmbedded(config, server)) {
                S3Buckets.ensureExists(s3, config.bucket(), config.createBucket());
                S3Buckets.abortStaleUploads(s3, config.bucket(), config.keyPrefix(), S3Buckets.processStart());
            }
            ready.complete(null);
        } catch (Throwable e) {
            ready.completeExceptionally(e);
        }
    }

    @Override
    protected void doStart() {
        server();
    }

    @Override
    protected void doStop() throws Exception {
        client.close();
        // a server that failed to start counts as stopped already
        server.stop();
    }
}
