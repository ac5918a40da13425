package s3;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import config.S3Config;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.endpoints.S3EndpointProvider;

/**
 * Starts the embedded S3 server and the bucket on a thread of their own while Camel builds and starts the routes and
 * a one-shot run converts its input. The client (with the credentials the server made up) is built on another thread;
 * each of its requests resolves the server's endpoint, which waits for the server and the bucket: the first is the
 * upload. A server or bucket that fails is logged at once, and fails each upload with its cause (the run is then
 * FAILED and its input kept). Stopping closes the client, waits for the start to end, then stops the server.
 */
public final class EmbeddedS3Startup extends S3Startup {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedS3Startup.class);

    private final S3Config config;
    private final EmbeddedS3Server server;
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private final CompletableFuture<S3Client> client = new CompletableFuture<>();

    public EmbeddedS3Startup(S3Config config, Path storage) {
        this.config = config;
        this.server = new EmbeddedS3Server(storage, config.embeddedPort());
    }

    private volatile boolean begun;

    @Override
    protected void doStart() {
        begun = true;
        Thread starter = new Thread(this::startServerAndBucket, "embedded-s3-start");
        starter.setDaemon(true);
        starter.start();
        // built on a thread of its own as well: building an S3 client takes 0.2 s, on the start-up's critical path
        // when done here. A real client, not a java.lang.reflect.Proxy of S3Client: such a proxy initializes every
        // request class of the S3 model (2,000 classes and their lambdas, half a second of a 20-row run's start-up)
        Thread builder = new Thread(() -> {
            try {
                S3EndpointProvider endpoints = S3EndpointProvider.defaultProvider();
                client.complete(S3Clients.forEmbedded(config, server, params -> endpoints.resolveEndpoint(
                        params.toBuilder().endpoint(server().endpoint().toString()).build())));
            } catch (Throwable e) {
                client.completeExceptionally(e);
            }
        }, "embedded-s3-client");
        builder.setDaemon(true);
        builder.start();
    }

    /**
     * The client of the embedded server, once built (the routes ask for it as they are created): its requests wait
     * until the server and bucket are ready.
     */
    @Override
    public S3Client client() {
        return joined(client, "the embedded S3 server's client could not be built");
    }

    /** The server, once it and the bucket are ready. */
    public EmbeddedS3Server server() {
        joined(ready, "the embedded S3 server did not start");
        return server;
    }

    private static <T> T joined(CompletableFuture<T> future, String failure) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw new IllegalStateException(failure + ": " + e.getCause(), e.getCause());
        }
    }

    private void startServerAndBucket() {
        try {
            server.start();
            // a client of its own: the one handed out waits for what this one prepares
            try (S3Client s3 = S3Clients.forEmbedded(config, server)) {
                S3Buckets.ensureExists(s3, config.bucket(), config.createBucket());
                S3Buckets.abortStaleUploads(s3, config.bucket(), config.keyPrefix(), S3Buckets.processStart());
            }
            ready.complete(null);
        } catch (Throwable e) {
            LOG.error("The embedded S3 server did not start: {}; every upload fails until the app is restarted",
                    e.toString());
            ready.completeExceptionally(e);
        }
    }

    @Override
    protected void doStop() throws Exception {
        if (!begun) {
            return; // never started: nothing to wait for
        }
        try {
            client.join().close();
        } catch (CompletionException e) {
            // no client was built: nothing to close
        }
        try {
            ready.join();
        } catch (CompletionException e) {
            // logged when it failed; a server that failed to start counts as stopped already
        }
        server.stop();
    }
}
