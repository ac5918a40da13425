package core;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks secrets as {@code ***} before text leaves the process (logs, run reports, state files, error messages): the
 * user-info and query string of URLs, the value of {@code key=value} pairs whose key names a secret, and values known to
 * be secret (source headers, for instance), wherever they appear.
 */
public final class Secrets {

    public static final String MASK = "***";

    private static final List<String> SECRET_WORDS = List.of("secret", "password", "passwd", "token", "accesskey",
            "apikey", "credential", "authorization");
    private static final Pattern USER_INFO = Pattern.compile("([a-zA-Z][a-zA-Z0-9+.\\-]*://)[^/@\\s?#\"'<>]+@");
    private static final Pattern QUERY = Pattern.compile("([a-zA-Z][a-zA-Z0-9+.\\-]*://[^\\s?\"'<>]*)\\?[^\\s\"'<>]*");
    private static final Pattern SECRET_PAIR = Pattern.compile(
            "([\\w.\\-]*(?i:secret|password|passwd|pwd|token|key|credential)[\\w.\\-]*)=([^\\s,;&\"'\\]]+)");
    /** Secret values shorter than this are not searched for in text: they would mask ordinary words. */
    private static final int MIN_KNOWN_LENGTH = 4;
    private static final Set<String> KNOWN = ConcurrentHashMap.newKeySet();
    /** {@link #KNOWN}, longest first, so that a secret holding another is masked whole. */
    private static volatile List<String> knownLongestFirst = List.of();

    private Secrets() {
    }

    /** {@code value} is secret: from now on it is masked wherever {@link #text} meets it. */
    public static synchronized void remember(String value) {
        if (value != null && value.length() >= MIN_KNOWN_LENGTH && KNOWN.add(value)) {
            knownLongestFirst = KNOWN.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();
        }
    }

    /** A URL with its user-info and query string masked: {@code https://***@host/path?***}. */
    public static String url(String url) {
        if (url == null) {
            return null;
        }
        try {
            URI uri = new URI(url);
            if (uri.getRawAuthority() == null) {
                return text(url);
            }
            String authority = uri.getRawAuthority();
            int at = authority.lastIndexOf('@');
            StringBuilder masked = new StringBuilder(uri.getScheme()).append("://");
            if (at >= 0) {
                masked.append(MASK).append('@').append(authority.substring(at + 1));
            } else {
                masked.append(authority);
            }
            if (uri.getRawPath() != null) {
                masked.append(uri.getRawPath());
            }
            if (uri.getRawQuery() != null) {
                masked.append('?').append(MASK);
            }
            if (uri.getRawFragment() != null) {
                masked.append('#').append(uri.getRawFragment());
            }
            return text(masked.toString());
        } catch (URISyntaxException e) {
            return text(url);
        }
    }

    /** Free text (a log message, an error message) with every secret it holds masked. */
    public static String text(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String masked = text;
        for (String secret : knownLongestFirst) {
            masked = masked.replace(secret, MASK);
        }
        masked = USER_INFO.matcher(masked).replaceAll("$1" + Matcher.quoteReplacement(MASK) + "@");
        masked = QUERY.matcher(masked).replaceAll("$1?" + Matcher.quoteReplacement(MASK));
        masked = SECRET_PAIR.matcher(masked).replaceAll("$1=" + Matcher.quoteReplacement(MASK));
        return masked;
    }

    /** The value of a setting as it may be shown: all of it when its name says secret, else the secrets it holds. */
    public static String property(String key, String value) {
        if (value == null || value.isEmpty()) {
            return value;
        }
        String name = lastName(key);
        if (name.equals("headers")) {
            return pairs(value);
        }
        return namesASecret(name) ? MASK : text(value);
    }

    /**
     * The parts of a setting's value that are secret by the setting's name, as {@link #property} masks them: each
     * value of a {@code headers} list, all of a value whose name says secret, none of any other.
     */
    public static List<String> secretParts(String key, String value) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        String name = lastName(key);
        if (name.equals("headers")) {
            return Arrays.stream(value.split(",")).filter(pair -> pair.indexOf('=') > 0)
                    .map(pair -> pair.substring(pair.indexOf('=') + 1).trim()).toList();
        }
        return namesASecret(name) ? List.of(value.trim()) : List.of();
    }

    private static String lastName(String key) {
        return key.substring(key.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
    }

    private static boolean namesASecret(String name) {
        for (String word : SECRET_WORDS) {
            if (name.contains(word)) {
                return true;
            }
        }
        return false;
    }

    /** {@code Name=value,Name=value} with every value masked. */
    public static String pairs(String value) {
        return value.replaceAll("=[^,]*", "=" + Matcher.quoteReplacement(MASK));
    }
}
