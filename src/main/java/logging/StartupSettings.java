package logging;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The settings as Camel Main will read them, read before it starts, for what must be ready before the first log line:
 * {@code application.properties} on the class path, then the profile's {@code application-<profile>.properties},
 * then system properties ({@code -D}), then environment variables (upper case, dots and dashes as underscores), each
 * over the one before.
 */
final class StartupSettings {

    private static final String PROFILE = "camel.main.profile";

    private final Properties files;
    private final Map<String, String> system;
    private final Map<String, String> environment;

    StartupSettings(Properties files, Map<String, String> system, Map<String, String> environment) {
        this.files = files;
        this.system = system;
        this.environment = environment;
    }

    /** The settings of this process. */
    static StartupSettings read() {
        Map<String, String> system = new LinkedHashMap<>();
        for (String key : System.getProperties().stringPropertyNames()) {
            system.put(key, System.getProperty(key));
        }
        Map<String, String> environment = System.getenv();
        Properties files = new Properties();
        load("application.properties", files);
        StartupSettings settings = new StartupSettings(files, system, environment);
        settings.get(PROFILE).ifPresent(profile -> load("application-" + profile.trim() + ".properties", files));
        return settings;
    }

    private static void load(String resource, Properties into) {
        try (InputStream in = StartupSettings.class.getClassLoader().getResourceAsStream(resource)) {
            if (in != null) {
                into.load(in);
            }
        } catch (IOException | IllegalArgumentException e) {
            // Camel Main reads the same file next and says what is wrong with it
        }
    }

    /** The value of {@code key}, from the last source that has it. */
    Optional<String> get(String key) {
        String value = environment.get(environmentName(key));
        if (value == null) {
            value = system.get(key);
        }
        if (value == null) {
            value = files.getProperty(key);
        }
        return Optional.ofNullable(value);
    }

    /**
     * Every setting whose name starts with {@code prefix} (dotted, lower case), with its value. A variable's name gives
     * the setting's name in lower case ({@code LOGGING_LEVEL_ORG_APACHE_CAMEL} is {@code logging.level.org.apache.camel}).
     */
    Map<String, String> startingWith(String prefix) {
        Map<String, String> found = new LinkedHashMap<>();
        for (String key : files.stringPropertyNames()) {
            if (key.startsWith(prefix)) {
                found.put(key, files.getProperty(key));
            }
        }
        system.forEach((key, value) -> {
            if (key.startsWith(prefix)) {
                found.put(key, value);
            }
        });
        String variablePrefix = environmentName(prefix);
        environment.forEach((name, value) -> {
            if (name.startsWith(variablePrefix)) {
                String key = name.toLowerCase(Locale.ROOT).replace('_', '.');
                found.keySet().removeIf(known -> environmentName(known).equals(name));
                found.put(key, value);
            }
        });
        return found;
    }

    /** The name of the environment variable that sets {@code key}, as Camel looks it up. */
    static String environmentName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}
