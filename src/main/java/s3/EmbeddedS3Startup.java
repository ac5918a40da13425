package s3;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import config.S3Config;
import org.apache.camel.support.service.ServiceSupport;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Starts the embedded S3 server, its client and the bucket on a thread of their own while Camel builds and starts the
 * routes. The client handed out waits for them on its first call, and the context's start waits for them too, so a
 * server or bucket that fails still stops the start-up. Stopping closes the client, then stops the server.
 */
public final class EmbeddedS3Startup extends ServiceSupport {

    private final CompletableFuture<EmbeddedS3Server> server = new CompletableFuture<>();
    private final CompletableFuture<S3Client> ready = new CompletableFuture<>();
    private final S3Client client;

    public EmbeddedS3Startup(S3Config config, Path storage) {
        Thread starter = new Thread(() -> start(config, storage), "embedded-s3-start");
        starter.setDaemon(true);
        starter.start();
        client = (S3Client) Proxy.newProxyInstance(S3Client.class.getClassLoader(), new Class<?>[] {S3Client.class},
                this::invoke);
    }

    /** The client of the embedded server, usable at once: its calls wait until the server and bucket are ready. */
    public S3Client client() {
        return client;
    }

    /** The server, once it and the bucket are ready. */
    public EmbeddedS3Server server() {
        ready();
        return server.join();
    }

    private void start(S3Config config, Path storage) {
        try {
            EmbeddedS3Server started = new EmbeddedS3Server(storage, config.embeddedPort());
            server.complete(started);
            started.start();
            S3Client s3 = S3Clients.forEmbedded(config, started);
            try {
                S3Buckets.ensureExists(s3, config.bucket(), config.createBucket());
                S3Buckets.abortStaleUploads(s3, config.bucket(), config.keyPrefix(), S3Buckets.processStart());
            } catch (RuntimeException e) {
                s3.close();
                throw e;
            }
            ready.complete(s3);
        } catch (Throwable e) {
            server.completeExceptionally(e);
            ready.completeExceptionally(e);
        }
    }

    private S3Client ready() {
        try {
            return ready.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw new IllegalStateException("the embedded S3 server did not start: " + e.getCause(), e.getCause());
        }
    }

    private Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        if (method.getDeclaringClass() == Object.class) {
            return switch (method.getName()) {
                case "equals" -> proxy == args[0];
                case "hashCode" -> System.identityHashCode(proxy);
                default -> "S3Client of the embedded S3 server";
            };
        }
        try {
            return method.invoke(ready(), args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @Override
    protected void doStart() {
        ready();
    }

    @Override
    protected void doStop() throws Exception {
        if (ready.isDone() && !ready.isCompletedExceptionally()) {
            ready.join().close();
        }
        if (server.isDone() && !server.isCompletedExceptionally()) {
            server.join().stop();
        }
    }
}
