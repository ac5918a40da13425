package source;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import core.Pipeline;
import core.Secrets;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import run.InputIdentity;
import run.SettledContent;

/**
 * What the HTTP poller remembers between ticks, per URL, so an unchanged upstream file is not loaded again: the
 * {@code ETag} and {@code Last-Modified} of the last loaded content, replayed as {@code If-None-Match} /
 * {@code If-Modified-Since}, and that content's SHA-256, for servers that send no validators. Only the last loaded
 * content counts: a source that goes A, B, then back to A is loaded again. Kept in
 * {@code <data.dir>/state/http-source.properties}, keyed by a hash of the URL so that no token in it is written down,
 * and written only once a run has ended well.
 */
public final class HttpSourceMemory implements SettledContent {

    private static final Logger LOG = LoggerFactory.getLogger(HttpSourceMemory.class);

    private static final String PENDING_ETAG = "pipelinePendingETag";
    private static final String PENDING_LAST_MODIFIED = "pipelinePendingLastModified";

    /** The longest wait between two polls of a failing source. */
    static final Duration MAX_BACKOFF = Duration.ofHours(1);

    private final Path stateFile;
    private final Duration pollInterval;
    private final LongSupplier nanoClock;
    private final Map<String, Backoff> backoffs = new ConcurrentHashMap<>();

    /** The memory of a dataset whose state is kept in {@code stateDir} ({@code <data.dir>/state} for one dataset). */
    public HttpSourceMemory(Path stateDir, Duration pollInterval) {
        this(stateDir, pollInterval, System::nanoTime);
    }

    HttpSourceMemory(Path stateDir, Duration pollInterval, LongSupplier nanoClock) {
        this.stateFile = stateDir.resolve("http-source.properties");
        this.pollInterval = pollInterval;
        this.nanoClock = nanoClock;
    }

    /** Failures in a row of one URL's runs, and when it is polled again. */
    private record Backoff(int failures, long dueNanos) {
    }

    /**
     * False while a source whose runs failed for the infrastructure's sake waits out its backoff: the poll interval,
     * doubled for each failure in a row after the first, at most an hour (or the poll interval, if longer).
     */
    public boolean isDue(Exchange exchange) {
        Backoff backoff = backoffs.get(exchange.getIn().getHeader(Exchange.HTTP_URI, String.class));
        return backoff == null || nanoClock.getAsLong() - backoff.dueNanos() >= 0;
    }

    @Override
    public void failedForNow(Exchange exchange) {
        String url = exchange.getIn().getHeader(Exchange.HTTP_URI, String.class);
        Backoff backoff = backoffs.merge(url, new Backoff(1, 0), (old, first) -> new Backoff(old.failures() + 1, 0));
        Duration wait = backoff(backoff.failures());
        backoffs.put(url, new Backoff(backoff.failures(), nanoClock.getAsLong() + wait.toNanos()));
        if (backoff.failures() > 1) {
            LOG.warn("{} failed {} times in a row: next poll in {} s", Secrets.url(url), backoff.failures(),
                    wait.toSeconds());
        }
    }

    /** The wait after {@code failures} failures in a row: the first waits the poll interval, each next one twice more. */
    Duration backoff(int failures) {
        Duration max = pollInterval.compareTo(MAX_BACKOFF) > 0 ? pollInterval : MAX_BACKOFF;
        Duration wait = pollInterval.multipliedBy(1L << Math.min(failures - 1, 30));
        return wait.compareTo(max) > 0 || wait.isNegative() ? max : wait;
    }

    /** True unless this exact content (its {@link InputIdentity}) is the last one settled for this URL. */
    public boolean isNewContent(Exchange exchange) throws IOException {
        String url = exchange.getIn().getHeader(Exchange.HTTP_URI, String.class);
        String last = load().getProperty(stateKey(url) + ".sha256");
        return !InputIdentity.of(exchange).sha256().equals(last);
    }

    /**
     * After a run that settled this content (loaded, skipped for having no rows, or rejected for bad data): remember it
     * and its validators, so the same content is not fetched and processed again on every tick.
     */
    @Override
    public void contentSettled(Exchange exchange) {
        backoffs.remove(exchange.getIn().getHeader(Exchange.HTTP_URI, String.class));
        save(exchange, exchange.getIn().getHeader(Exchange.HTTP_URI, String.class));
    }

    /** Before the request: the validators of the last loaded content of this URL, if any. */
    public void addValidators(Exchange exchange) {
        String url = stateKey(exchange.getIn().getHeader(Exchange.HTTP_URI, String.class));
        Properties state = load();
        String etag = state.getProperty(url + ".etag");
        String lastModified = state.getProperty(url + ".lastModified");
        if (etag != null) {
            exchange.getIn().setHeader("If-None-Match", etag);
        }
        if (lastModified != null) {
            exchange.getIn().setHeader("If-Modified-Since", lastModified);
        }
    }

    /** After a 200: keep what the server sent, to be saved only once this content has been loaded. */
    public void rememberValidators(Exchange exchange) {
        exchange.setProperty(PENDING_ETAG, exchange.getIn().getHeader(Pipeline.ETAG, String.class));
        exchange.setProperty(PENDING_LAST_MODIFIED, exchange.getIn().getHeader(Pipeline.LAST_MODIFIED, String.class));
        exchange.getIn().removeHeader("If-None-Match");
        exchange.getIn().removeHeader("If-Modified-Since");
    }

    private synchronized void save(Exchange exchange, String url) {
        String etag = exchange.getProperty(PENDING_ETAG, String.class);
        String lastModified = exchange.getProperty(PENDING_LAST_MODIFIED, String.class);
        Properties state = load();
        String key = stateKey(url);
        state.setProperty(key + ".url", Secrets.url(url));
        put(state, key + ".etag", etag);
        put(state, key + ".lastModified", lastModified);
        InputIdentity identity = InputIdentity.of(exchange);
        put(state, key + ".sha256", identity == null ? null : identity.known().orElse(null));
        try {
            Files.createDirectories(stateFile.getParent());
            Path temp = stateFile.resolveSibling(stateFile.getFileName() + ".tmp");
            try (OutputStream out = Files.newOutputStream(temp)) {
                state.store(out, "the last loaded content of each source URL: its validators and SHA-256");
            }
            Files.move(temp, stateFile, StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + stateFile, e);
        }
    }

    /** The URL as a state key: its SHA-256, since the URL itself may carry a token. */
    static String stateKey(String url) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(url.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void put(Properties state, String key, String value) {
        if (value == null) {
            state.remove(key);
        } else {
            state.setProperty(key, value);
        }
    }

    private synchronized Properties load() {
        Properties state = new Properties();
        if (Files.exists(stateFile)) {
            try (InputStream in = Files.newInputStream(stateFile)) {
                state.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException("could not read " + stateFile, e);
            }
        }
        return state;
    }
}
