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
import java.util.HexFormat;
import java.util.Properties;

import core.Pipeline;
import core.Secrets;
import org.apache.camel.Exchange;
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

    private static final String PENDING_ETAG = "pipelinePendingETag";
    private static final String PENDING_LAST_MODIFIED = "pipelinePendingLastModified";

    private final Path stateFile;

    public HttpSourceMemory(Path dataDir) {
        this.stateFile = dataDir.resolve("state").resolve("http-source.properties");
    }

    /** True unless this exact content (by SHA-256) is the last one settled for this URL. */
    public boolean isNewContent(Exchange exchange) {
        String url = exchange.getIn().getHeader(Exchange.HTTP_URI, String.class);
        String last = load().getProperty(stateKey(url) + ".sha256");
        return !exchange.getIn().getHeader(Pipeline.SHA256, String.class).equals(last);
    }

    /**
     * After a run that settled this content (loaded, skipped for having no rows, or rejected for bad data): remember it
     * and its validators, so the same content is not fetched and processed again on every tick.
     */
    @Override
    public void contentSettled(Exchange exchange) {
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
        put(state, key + ".sha256", exchange.getIn().getHeader(Pipeline.SHA256, String.class));
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
