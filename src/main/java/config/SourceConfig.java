package config;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/** {@code pipeline.source.*}: the CSV published over HTTP and how often it is polled. */
public record SourceConfig(Optional<URI> url, Duration pollInterval, Duration connectTimeout, Duration readTimeout) {

    public static SourceConfig from(Settings s) {
        Optional<URI> url = s.optional("pipeline.source.url").flatMap(value -> httpUrl(s, "pipeline.source.url", value));
        return new SourceConfig(
                url,
                s.duration("pipeline.source.pollInterval", Duration.ofMinutes(5)),
                s.duration("pipeline.source.connectTimeout", Duration.ofSeconds(10)),
                s.duration("pipeline.source.readTimeout", Duration.ofSeconds(60)));
    }

    static Optional<URI> httpUrl(Settings s, String key, String value) {
        try {
            URI uri = URI.create(value);
            if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                throw new IllegalArgumentException(value);
            }
            return Optional.of(uri);
        } catch (IllegalArgumentException e) {
            s.problem(key + " must be an http(s) URL, was " + value);
            return Optional.empty();
        }
    }
}
