package config;

import java.net.URI;
import java.nio.charset.Charset;
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
import java.util.function.Function;
import java.util.stream.Collectors;

import core.Secrets;

/**
 * Typed, validating access to the {@code pipeline.*} properties. Problems are collected rather than thrown one by one,
 * so that {@link #validate()} reports every bad or missing value in one message.
 */
public final class Settings {

    private final Function<String, Optional<String>> lookup;
    private final List<String> problems = new ArrayList<>();

    public Settings(Function<String, Optional<String>> lookup) {
        this.lookup = lookup;
    }

    public Optional<String> optional(String key) {
        return lookup.apply(key).map(String::trim).filter(v -> !v.isEmpty());
    }

    /** The raw value, spaces kept (delimiters, null strings). */
    public Optional<String> raw(String key) {
        return lookup.apply(key);
    }

    public String string(String key) {
        Optional<String> value = optional(key);
        if (value.isEmpty()) {
            problems.add(key + " is required but not set");
            return "";
        }
        return value.get();
    }

    public String string(String key, String defaultValue) {
        return optional(key).orElse(defaultValue);
    }

    public int integer(String key, int defaultValue, int min, int max) {
        return (int) number(key, defaultValue, min, max);
    }

    public long number(String key, long defaultValue, long min, long max) {
        Optional<String> value = optional(key);
        if (value.isEmpty()) {
            return defaultValue;
        }
        try {
            long parsed = parseSize(value.get());
            if (parsed < min || parsed > max) {
                problems.add(key + " must be between " + min + " and " + max + ", was " + value.get());
                return defaultValue;
            }
            return parsed;
        } catch (NumberFormatException e) {
            problems.add(key + " must be a whole number, was " + value.get());
            return defaultValue;
        }
    }

    public boolean bool(String key, boolean defaultValue) {
        Optional<String> value = optional(key);
        if (value.isEmpty()) {
            return defaultValue;
        }
        return switch (value.get().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> {
                problems.add(key + " must be true or false, was " + value.get());
                yield defaultValue;
            }
        };
    }

    public <E extends Enum<E>> E choice(String key, Class<E> type, E defaultValue) {
        Optional<String> value = optional(key);
        if (value.isEmpty()) {
            return defaultValue;
        }
        String wanted = value.get().replace('-', '_').toUpperCase(Locale.ROOT);
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equals(wanted)) {
                return constant;
            }
        }
        problems.add(key + " must be one of " + names(type) + ", was " + value.get());
        return defaultValue;
    }

    public Duration duration(String key, Duration defaultValue) {
        Optional<String> value = optional(key);
        if (value.isEmpty()) {
            return defaultValue;
        }
        try {
            return parseDuration(value.get());
        } catch (IllegalArgumentException e) {
            problems.add(key + " must be a duration such as 500ms, 30s, 5m or 1h, was " + value.get());
            return defaultValue;
        }
    }

    public Charset charset(String key, Charset defaultValue) {
        Optional<String> value = optional(key);
        if (value.isEmpty()) {
            return defaultValue;
        }
        try {
            return Charset.forName(value.get());
        } catch (IllegalArgumentException e) {
            problems.add(key + " must be a charset name such as UTF-8, was " + value.get());
            return defaultValue;
        }
    }

    /** A single character; the words {@code tab}, {@code comma}, {@code semicolon} and {@code pipe} are accepted. */
    public char character(String key, char defaultValue) {
        Optional<String> value = raw(key).filter(v -> !v.isEmpty());
        if (value.isEmpty()) {
            return defaultValue;
        }
        String text = value.get();
        switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "tab", "\\t" -> { return '\t'; }
            case "comma" -> { return ','; }
            case "semicolon" -> { return ';'; }
            case "pipe" -> { return '|'; }
            default -> { }
        }
        if (text.length() != 1) {
            problems.add(key + " must be a single character (or tab, comma, semicolon, pipe), was '" + text + "'");
            return defaultValue;
        }
        return text.charAt(0);
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

    /** A comma-separated list, items trimmed, blanks dropped. */
    public List<String> list(String key, String defaultValue) {
        List<String> items = new ArrayList<>();
        for (String item : string(key, defaultValue).split(",")) {
            if (!item.isBlank()) {
                items.add(item.trim());
            }
        }
        return List.copyOf(items);
    }

    /** {@code k=v,k=v}, order kept; a pair without '=' is a problem naming the property. */
    public Map<String, String> pairs(String key) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String pair : list(key, "")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                problems.add(key + " must be a comma-separated list of name=value pairs, was " + pair);
                continue;
            }
            map.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
        }
        return Collections.unmodifiableMap(map);
    }

    public Path path(String key, Path defaultValue) {
        return optional(key).map(Path::of).orElse(defaultValue);
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
