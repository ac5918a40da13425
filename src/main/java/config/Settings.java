package config;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import core.Secrets;

/**
 * Typed, validating access to the {@code pipeline.*} properties. Problems are collected rather than thrown one by one,
 * so that {@link #validate()} reports every bad or missing value in one message.
 *
 * <p>Each value comes from the lookup given (in the app, Camel's properties component: -D, environment, the profile's
 * file, application.properties). A key the lookup does not have takes its default from the classpath's
 * {@code application.properties}, the only place defaults are written, so that a Settings built from a few values
 * (a test's map) sees the same defaults as the app. A blank value counts as not set: the default applies. A key with
 * neither a value nor an entry in application.properties is a problem naming it.
 */
public final class Settings {

    private static final String DEFAULTS_FILE = "application.properties";
    // {{key}} in a default names another setting, as Camel's properties component resolves it in the app
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([^{}:]+)}}");

    private final Function<String, Optional<String>> lookup;
    private final List<String> problems = new ArrayList<>();

    public Settings(Function<String, Optional<String>> lookup) {
        this.lookup = lookup;
    }

    /** The value, trimmed, or else the default; empty when both are blank. */
    public Optional<String> optional(String key) {
        return nonBlank(lookup.apply(key)).or(() -> nonBlank(defaultValue(key)));
    }

    /** The value the lookup has, exactly as given, and no default: a setting the user may or may not have written. */
    public Optional<String> given(String key) {
        return lookup.apply(key);
    }

    /** The raw value, spaces kept (delimiters, null strings), or else the default when the lookup has no such key. */
    public Optional<String> raw(String key) {
        Optional<String> value = lookup.apply(key);
        return value.isPresent() ? value : defaultValue(key);
    }

    /** A value that must be there: a blank value whose default is blank too is a problem. */
    public String string(String key) {
        return required(key).orElse("");
    }

    public int integer(String key, int min, int max) {
        return (int) number(key, min, max);
    }

    /** A whole number, with an optional KB, MB or GB suffix, between min and max (the rule, not a default). */
    public long number(String key, long min, long max) {
        return typed(key, text -> {
            long parsed;
            try {
                parsed = parseSize(text);
            } catch (NumberFormatException | ArithmeticException e) {
                throw new IllegalArgumentException("must be a whole number");
            }
            if (parsed < min || parsed > max) {
                throw new IllegalArgumentException("must be between " + min + " and " + max);
            }
            return parsed;
        }, min);
    }

    public boolean bool(String key) {
        return typed(key, text -> switch (text.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("must be true or false");
        }, false);
    }

    public <E extends Enum<E>> E choice(String key, Class<E> type) {
        return typed(key, text -> {
            String wanted = text.replace('-', '_').toUpperCase(Locale.ROOT);
            for (E constant : type.getEnumConstants()) {
                if (constant.name().equals(wanted)) {
                    return constant;
                }
            }
            throw new IllegalArgumentException("must be one of " + names(type));
        }, type.getEnumConstants()[0]);
    }

    public Duration duration(String key) {
        return typed(key, text -> {
            try {
                return parseDuration(text);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("must be a duration such as 500ms, 30s, 5m or 1h");
            }
        }, Duration.ZERO);
    }

    public Charset charset(String key) {
        return typed(key, text -> {
            try {
                return Charset.forName(text);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("must be a charset name such as UTF-8");
            }
        }, StandardCharsets.UTF_8);
    }

    /** A single character; the words {@code tab}, {@code comma}, {@code semicolon} and {@code pipe} are accepted. */
    public char character(String key) {
        // raw: a space or a tab is a character, not a blank
        Optional<String> value = lookup.apply(key).filter(v -> !v.isEmpty())
                .or(() -> defaultValue(key).filter(v -> !v.isEmpty()));
        if (value.isEmpty()) {
            required(key);
            return ',';
        }
        Optional<Character> parsed = singleCharacter(value.get());
        if (parsed.isPresent()) {
            return parsed.get();
        }
        problems.add(key + " must be a single character (or tab, comma, semicolon, pipe), was '" + value.get() + "'");
        return defaultValue(key).flatMap(Settings::singleCharacter).orElse(',');
    }

    /** An absolute URL with a host, such as an endpoint override; empty when not set. */
    public Optional<URI> url(String key) {
        Optional<String> value = optional(key);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        try {
            URI uri = URI.create(value.get());
            if (uri.getScheme() != null && uri.getHost() != null) {
                return Optional.of(uri);
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        problems.add(key + " must be a URL such as http://127.0.0.1:9000, was " + value.get());
        return Optional.empty();
    }

    /** A comma-separated list, items trimmed, blanks dropped; empty when not set. */
    public List<String> list(String key) {
        List<String> items = new ArrayList<>();
        for (String item : optional(key).orElse("").split(",")) {
            if (!item.isBlank()) {
                items.add(item.trim());
            }
        }
        return List.copyOf(items);
    }

    /** {@code k=v,k=v}, order kept; a pair without '=' is a problem naming the property. */
    public Map<String, String> pairs(String key) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String pair : list(key)) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                problems.add(key + " must be a comma-separated list of name=value pairs, was " + pair);
                continue;
            }
            map.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
        }
        return Collections.unmodifiableMap(map);
    }

    public Path path(String key) {
        return Path.of(string(key));
    }

    /** Records a problem found by a stage's own cross-field checks. */
    public void problem(String message) {
        problems.add(message);
    }

    public List<String> problems() {
        // a bad value may hold a secret (a URL's token): the message names the property, not the secret
        return problems.stream().map(Secrets::text).toList();
    }

    /** Throws a {@link ConfigurationException} naming every problem found so far. */
    public void validate() {
        if (!problems.isEmpty()) {
            throw new ConfigurationException(problems());
        }
    }

    private Optional<String> required(String key) {
        Optional<String> value = optional(key);
        if (value.isEmpty() && defaults().containsKey(key)) {
            problems.add(key + " is required but not set");
        }
        return value;
    }

    /**
     * Parses the value, or else the default. A bad value is a problem naming the key and the value; the default
     * stands in for it until {@link #validate()} throws, so that no second problem follows from the first.
     */
    private <T> T typed(String key, Function<String, T> parse, T none) {
        Optional<String> value = required(key);
        if (value.isEmpty()) {
            return none;
        }
        try {
            return parse.apply(value.get());
        } catch (IllegalArgumentException e) {
            problems.add(key + " " + e.getMessage() + ", was " + value.get());
        }
        try {
            return nonBlank(defaultValue(key)).map(parse).orElse(none);
        } catch (IllegalArgumentException e) {
            return none;
        }
    }

    // the entry of application.properties; a key it lacks is a problem, reported once
    private Optional<String> defaultValue(String key) {
        String value = defaults().getProperty(key);
        if (value == null) {
            String problem = key + " is not set and has no default in " + DEFAULTS_FILE;
            if (!problems.contains(problem)) {
                problems.add(problem);
            }
            return Optional.empty();
        }
        Matcher placeholder = PLACEHOLDER.matcher(value);
        StringBuilder resolved = new StringBuilder();
        while (placeholder.find()) {
            placeholder.appendReplacement(resolved, Matcher.quoteReplacement(optional(placeholder.group(1)).orElse("")));
        }
        placeholder.appendTail(resolved);
        return Optional.of(resolved.toString());
    }

    private static Optional<String> nonBlank(Optional<String> value) {
        return value.map(String::trim).filter(v -> !v.isEmpty());
    }

    private static Optional<Character> singleCharacter(String text) {
        switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "tab", "\\t" -> { return Optional.of('\t'); }
            case "comma" -> { return Optional.of(','); }
            case "semicolon" -> { return Optional.of(';'); }
            case "pipe" -> { return Optional.of('|'); }
            default -> { }
        }
        return text.length() == 1 ? Optional.of(text.charAt(0)) : Optional.empty();
    }

    /** The defaults, read once from the classpath. */
    static Properties defaults() {
        return Defaults.PROPERTIES;
    }

    private static final class Defaults {

        static final Properties PROPERTIES = load();

        private static Properties load() {
            Properties properties = new Properties();
            try (InputStream in = Settings.class.getClassLoader().getResourceAsStream(DEFAULTS_FILE)) {
                if (in == null) {
                    throw new IllegalStateException(DEFAULTS_FILE + " is not on the classpath: it holds every default");
                }
                properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + DEFAULTS_FILE + " from the classpath", e);
            }
            return properties;
        }
    }

    static long parseSize(String text) {
        String t = text.trim().toUpperCase(Locale.ROOT).replace("_", "");
        long factor = 1;
        if (t.endsWith("KB") || t.endsWith("K")) {
            factor = 1024;
        } else if (t.endsWith("MB") || t.endsWith("M")) {
            factor = 1024 * 1024;
        } else if (t.endsWith("GB") || t.endsWith("G")) {
            factor = 1024L * 1024 * 1024;
        }
        String digits = t.replaceAll("[KMGB]+$", "");
        return Math.multiplyExact(Long.parseLong(digits), factor);
    }

    static Duration parseDuration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            }
            long amount = Long.parseLong(t.substring(0, t.length() - 1));
            return switch (t.charAt(t.length() - 1)) {
                case 's' -> Duration.ofSeconds(amount);
                case 'm' -> Duration.ofMinutes(amount);
                case 'h' -> Duration.ofHours(amount);
                default -> Duration.ofMillis(Long.parseLong(t));
            };
        } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    private static String names(Class<? extends Enum<?>> type) {
        return Arrays.stream(type.getEnumConstants())
                .map(c -> c.name().toLowerCase(Locale.ROOT).replace('_', '-'))
                .collect(Collectors.joining(", "));
    }
}
