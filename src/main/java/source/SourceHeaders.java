package source;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Pattern;

import core.Secrets;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Puts the headers of {@code pipeline.source.headers} on the HTTP request, so a token need not be in the URL; a URL's
 * user-info ({@code https://user:password@host/...}), which the HTTP client refuses, becomes Basic authentication.
 */
public final class SourceHeaders implements Processor {

    private final Map<String, String> headers;

    public SourceHeaders(Map<String, String> headers) {
        this.headers = Map.copyOf(headers);
    }

    @Override
    public void process(Exchange exchange) throws URISyntaxException {
        headers.forEach(exchange.getIn()::setHeader);
        String url = exchange.getIn().getHeader(Exchange.HTTP_URI, String.class);
        URI uri = new URI(url);
        if (uri.getRawUserInfo() == null) {
            return;
        }
        String credentials = URLDecoder.decode(uri.getRawUserInfo(), StandardCharsets.UTF_8);
        String basic = "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
        Secrets.remember(basic);
        if (headers.keySet().stream().noneMatch("Authorization"::equalsIgnoreCase)) {
            exchange.getIn().setHeader("Authorization", basic);
        }
        String authority = uri.getRawAuthority();
        exchange.getIn().setHeader(Exchange.HTTP_URI,
                url.replaceFirst(Pattern.quote(authority), authority.substring(authority.lastIndexOf('@') + 1)));
    }
}
