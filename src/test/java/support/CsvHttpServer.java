package support;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import static org.awaitility.Awaitility.await;

/**
 * A real HTTP server on 127.0.0.1 for the HTTP source: each path answers what the test says, and every request is
 * recorded with the answer it got. It is bound at once (so its URL is known while the app is configured) but answers
 * only after {@link #start()}: a request that arrives before waits in the socket's backlog.
 */
public final class CsvHttpServer implements AutoCloseable {

    /** A request as the server saw it (header names in lower case) and the status it was answered with (0: not yet). */
    public record Request(String method, String path, Map<String, String> headers, int status) {

        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** What a path answers. */
    public record Response(int status, Map<String, String> headers, byte[] body) {

        public static Response csv(String body) {
            return new Response(200, Map.of("Content-Type", "text/csv; charset=utf-8"),
                    body.getBytes(StandardCharsets.UTF_8));
        }

        public static Response status(int status) {
            return new Response(status, Map.of("Content-Type", "text/plain"),
                    ("status " + status).getBytes(StandardCharsets.UTF_8));
        }

        public static Response notModified() {
            return new Response(304, Map.of(), new byte[0]);
        }

        public static Response redirect(int status, String location) {
            return new Response(status, Map.of("Location", location), new byte[0]);
        }

        public Response withHeader(String name, String value) {
            Map<String, String> more = new LinkedHashMap<>(headers);
            more.put(name, value);
            return new Response(status, more, body);
        }
    }

    /** What a streamed answer writes after its headers; it may pause, as a slow server would. */
    @FunctionalInterface
    public interface BodyWriter {
        void write(OutputStream body) throws IOException, InterruptedException;
    }

    /** How a streamed answer went: the bytes written, and whether the client closed the connection before the end. */
    public static final class Streamed {

        private final long announced;
        private final BodyWriter writer;
        private final AtomicLong written = new AtomicLong();
        private final CountDownLatch ended = new CountDownLatch(1);
        private volatile boolean cutOff;

        private Streamed(long announced, BodyWriter writer) {
            this.announced = announced;
            this.writer = writer;
        }

        public long written() {
            return written.get();
        }

        /** Waits until the answer ended; true if the client closed the connection before the whole body was sent. */
        public boolean awaitCutOff(Duration timeout) throws InterruptedException {
            if (!ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("the answer did not end within " + timeout + ", " + written() + " bytes in");
            }
            return cutOff;
        }
    }

    private final HttpServer server;
    private final Map<String, Function<Request, Response>> paths = new ConcurrentHashMap<>();
    private final Map<String, Streamed> streams = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    // one thread per request, so that a slow answer does not hold up the next request
    private final ExecutorService threads = Executors.newCachedThreadPool();

    private CsvHttpServer(HttpServer server) {
        this.server = server;
        server.createContext("/", this::handle);
        server.setExecutor(threads);
    }

    /** Binds an ephemeral port on 127.0.0.1; nothing is answered before {@link #start()}. */
    public static CsvHttpServer bind() {
        try {
            return new CsvHttpServer(HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** From now on {@code path} answers what {@code answer} returns for each request. */
    public CsvHttpServer serve(String path, Function<Request, Response> answer) {
        paths.put(path, answer);
        return this;
    }

    /**
     * From now on {@code path} answers 200 with a {@code Content-Length} of {@code announced} bytes and the body
     * {@code writer} writes (flushed as it goes); a body shorter than announced ends with the connection closed.
     */
    public Streamed serveStreamed(String path, long announced, BodyWriter writer) {
        Streamed streamed = new Streamed(announced, writer);
        streams.put(path, streamed);
        return streamed;
    }

    public CsvHttpServer serve(String path, Response response) {
        return serve(path, request -> response);
    }

    /** {@code path} answers each response in turn, the last one for ever after. */
    public CsvHttpServer serveInTurn(String path, Response... responses) {
        AtomicInteger next = new AtomicInteger();
        return serve(path, request -> responses[Math.min(next.getAndIncrement(), responses.length - 1)]);
    }

    /** The same body with an {@code ETag}; a request whose {@code If-None-Match} names it gets a 304. */
    public CsvHttpServer serveWithETag(String path, String body, String etag) {
        return serve(path, request -> etag.equals(request.header("If-None-Match"))
                ? Response.notModified().withHeader("ETag", etag)
                : Response.csv(body).withHeader("ETag", etag));
    }

    public CsvHttpServer start() {
        server.start();
        return this;
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    public List<Request> requests(String path) {
        List<Request> matching = new ArrayList<>();
        for (Request request : requests) {
            if (request.path().equals(path)) {
                matching.add(request);
            }
        }
        return matching;
    }

    /** Waits until {@code path} has been requested at least {@code count} times; returns those requests. */
    public List<Request> awaitRequests(String path, int count, Duration timeout) throws InterruptedException {
        return await(count + " request(s) of " + path).atMost(timeout).pollInterval(Duration.ofMillis(20))
                .until(() -> requests(path), requests -> requests.size() >= count);
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }

    private static void stream(HttpExchange exchange, Streamed streamed) {
        try {
            exchange.sendResponseHeaders(200, streamed.announced);
            OutputStream body = exchange.getResponseBody();
            streamed.writer.write(new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] bytes, int offset, int length) throws IOException {
                    body.write(bytes, offset, length);
                    body.flush();
                    streamed.written.addAndGet(length);
                }
            });
            // a body shorter than announced: closing the exchange closes the connection
        } catch (IOException e) {
            streamed.cutOff = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            streamed.ended.countDown();
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            Map<String, String> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders().forEach((name, values) ->
                    headers.put(name.toLowerCase(Locale.ROOT), String.join(", ", values)));
            Request asked = new Request(exchange.getRequestMethod(), path, Map.copyOf(headers), 0);
            int index;
            synchronized (requests) {
                // recorded on arrival, with status 0 until answered: a request that times out still counts
                requests.add(asked);
                index = requests.size() - 1;
            }
            Streamed streamed = streams.get(path);
            if (streamed != null) {
                requests.set(index, new Request(asked.method(), path, asked.headers(), 200));
                stream(exchange, streamed);
                return;
            }
            Function<Request, Response> answer = paths.get(path);
            Response response = answer == null ? Response.status(404) : answer.apply(asked);
            requests.set(index, new Request(asked.method(), path, asked.headers(), response.status()));
            response.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
            boolean noBody = response.status() == 304 || response.body().length == 0
                             || "HEAD".equals(exchange.getRequestMethod());
            exchange.sendResponseHeaders(response.status(), noBody ? -1 : response.body().length);
            if (!noBody) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(response.body());
                }
            }
        }
    }
}
