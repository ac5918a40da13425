package logging;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

import config.GivenSettings;
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

    private final GivenSettings settings;
    private final Consumer<String> secrets;

    SecretSettings(GivenSettings settings, Consumer<String> secrets) {
        this.settings = settings;
        this.secrets = secrets;
    }

    /** Remembers the secrets of this process's settings. */
    static void remember(GivenSettings settings) {
        new SecretSettings(settings, Secrets::remember).rememberAll();
    }

    void rememberAll() {
        Map<String, String> candidates = new LinkedHashMap<>(settings.startingWith("pipeline."));
        candidates.putAll(settings.startingWith("camel."));
        candidates.forEach((key, value) -> {
            for (String part : Secrets.secretParts(key, value)) {
                secrets.accept(part);
                secrets.accept(resolve(part));
            }
        });
    }

    /** {@code text} with its placeholders resolved as Camel resolves them, each result remembered on the way. */
    private String resolve(String text) {
        return settings.resolve(text, secrets);
    }
}
