package config;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import core.Secrets;

/**
 * {@code pipeline.source.*}: the CSV published over HTTP, how often it is polled, and the headers sent with each
 * request (an {@code Authorization} token, say), whose values are secret and masked in every output.
 */
public record SourceConfig(Optional<URI> url, Duration pollInterval, Duration connectTimeout, Duration readTimeout,
        Map<String, String> headers, long maxBytes, Duration maxDownloadTime) {

    public static SourceConfig from(Settings s) {
        Optional<URI> url = s.optional("pipeline.source.url").flatMap(value -> httpUrl(s, "pipeline.source.url", value));
        Map<String, String> headers = s.pairs("pipeline.source.headers");
        headers.values().forEach(Secrets::remember);
        return new SourceConfig(
                url,
                s.duration("pipeline.source.pollInterval"),
                s.duration("pipeline.source.connectTimeout"),
                s.duration("pipeline.source.readTimeout"),
                headers,
                s.number("pipeline.source.maxBytes", 1, Long.MAX_VALUE),
                s.duration("pipeline.source.maxDownloadTime"));
    }

    static Optional<URI> httpUrl(Settings s, String key, String value) {
        try {
            URI uri = URI.create(value);
            if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                throw new IllegalArgumentException(value);
            }
            // the user-info and query may hold a token: known, it is masked wherever it is printed
            Secrets.remember(uri.getRawUserInfo());
            Secrets.remember(uri.getRawQuery());
            return Optional.of(uri);
        } catch (IllegalArgumentException e) {
            s.problem(key + " must be an http(s) URL, was " + value);
            return Optional.empty();
        }
    }
}
