package logging;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import core.Secrets;

/**
 * Makes the secrets among the settings known ({@link Secrets#remember}) before Camel reads any setting: the parts of
 * a value that its name says are secret ({@link Secrets#secretParts}: each value of {@code pipeline.source.headers},
 * a {@code ...password}, a {@code ...token}), as given and as resolved, and the result of every placeholder in them
 * ({@code {{env:NAME}}}, {@code {{sys:name}}}, {@code {{other.setting}}}). Camel's properties component writes each
 * value and each function's result as it resolves them, at DEBUG and TRACE, in lines that do not say which setting
 * they serve ({@code Property with key [env:SOURCE_TOKEN] applied by function [env] -> ...}): known, they are masked.
 */
final class SecretSettings {

    /** {@code {{name}}}, {@code {{name:default}}}, {@code {{env:NAME}}}, {@code {{env:NAME:default}}}. */
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{(?:(env|sys):)?([^{}:]+)(?::([^{}]*))?}}");
    /** Deep enough for a setting naming a setting naming a variable; a loop of names ends here. */
    private static final int MAX_DEPTH = 5;

    private final StartupSettings settings;
    private final Map<String, String> environment;
    private final Consumer<String> secrets;

    SecretSettings(StartupSettings settings, Map<String, String> environment, Consumer<String> secrets) {
        this.settings = settings;
        this.environment = environment;
        this.secrets = secrets;
    }

    /** Remembers the secrets of this process's settings. */
    static void remember(StartupSettings settings) {
        new SecretSettings(settings, System.getenv(), Secrets::remember).rememberAll();
    }

    void rememberAll() {
        Map<String, String> candidates = new LinkedHashMap<>(settings.startingWith("pipeline."));
        candidates.putAll(settings.startingWith("camel."));
        candidates.forEach((key, value) -> {
            for (String part : Secrets.secretParts(key, value)) {
                secrets.accept(part);
                secrets.accept(resolve(part, 0));
            }
        });
    }

    /** {@code text} with its placeholders resolved as Camel resolves them, each result remembered on the way. */
    private String resolve(String text, int depth) {
        if (depth >= MAX_DEPTH || !text.contains("{{")) {
            return text;
        }
        Matcher placeholder = PLACEHOLDER.matcher(text);
        StringBuilder resolved = new StringBuilder();
        while (placeholder.find()) {
            String function = placeholder.group(1);
            String name = placeholder.group(2).trim();
            String value;
            if ("env".equals(function)) {
                value = environment.get(name);
                if (value == null) {
                    value = environment.get(StartupSettings.environmentName(name));
                }
            } else if ("sys".equals(function)) {
                value = System.getProperty(name);
            } else {
                value = settings.get(name).orElse(null);
            }
            if (value == null) {
                value = placeholder.group(3);
            }
            if (value == null) {
                value = placeholder.group();
            } else {
                value = resolve(value, depth + 1);
                secrets.accept(value);
            }
            placeholder.appendReplacement(resolved, Matcher.quoteReplacement(value));
        }
        placeholder.appendTail(resolved);
        return resolved.toString();
    }
}
