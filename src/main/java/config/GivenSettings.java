package config;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The settings as given to this process, in the order Camel Main reads them, each source over the one before:
 * {@code application.properties} on the class path, the profile's {@code application-<profile>.properties}, the
 * {@code --config} file (Camel's override properties), system properties ({@code -D}), environment variables (upper
 * case, dots and dashes as underscores). The one place that reads them outside Camel: for what must be ready before
 * Camel starts (logging, the secrets to mask) and for the commands, which answer without starting Camel.
 */
public final class GivenSettings {

    /** The command-line option naming a properties file read over application.properties. */
    public static final String CONFIG_OPTION = "--config";

    private static final String DEFAULTS = "application.properties";
    private static final String PROFILE = "camel.main.profile";
    /** {@code {{name}}}, {@code {{name:default}}}, {@code {{env:NAME}}}, {@code {{env:NAME:default}}}. */
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{(?:(env|sys):)?([^{}:]+)(?::([^{}]*))?}}");
    /** Deep enough for a setting naming a setting naming a variable; a loop of names ends here. */
    private static final int MAX_DEPTH = 5;

    private final Properties files;
    private final Properties configFile;
    private final Map<String, String> system;
    private final Map<String, String> environment;

    /**
     * @param files       the properties files' values, each file over the one before, the {@code --config} file's too
     * @param configFile  the {@code --config} file's values alone (empty without one)
     */
    public GivenSettings(Properties files, Properties configFile, Map<String, String> system,
                         Map<String, String> environment) {
        this.files = files;
        this.configFile = configFile;
        this.system = system;
        this.environment = environment;
    }

    /** The settings of this process, with the {@code --config} file if one is given. */
    public static GivenSettings read(Optional<Path> config) {
        Map<String, String> system = new LinkedHashMap<>();
        for (String key : System.getProperties().stringPropertyNames()) {
            system.put(key, System.getProperty(key));
        }
        Map<String, String> environment = System.getenv();
        Properties configFile = config.map(GivenSettings::configFile).orElseGet(Properties::new);
        Properties defaults = new Properties();
        loadResource(DEFAULTS, defaults);
        Optional<String> profile = new GivenSettings(defaults, configFile, system, environment).profile();
        Properties files = new Properties();
        files.putAll(defaults);
        profile.ifPresent(name -> loadResource("application-" + name + ".properties", files));
        files.putAll(configFile);
        return new GivenSettings(files, configFile, system, environment);
    }

    /** The {@code --config} file's properties; a file that cannot be read is a problem of the configuration. */
    static Properties configFile(Path file) {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(in);
        } catch (NoSuchFileException e) {
            throw new ConfigurationException(CONFIG_OPTION + " " + file + ": no such file");
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigurationException(CONFIG_OPTION + " " + file + " cannot be read as a properties file: "
                    + e.getMessage());
        }
        return properties;
    }

    private static void loadResource(String resource, Properties into) {
        try (InputStream in = GivenSettings.class.getClassLoader().getResourceAsStream(resource)) {
            if (in != null) {
                into.load(new InputStreamReader(in, StandardCharsets.UTF_8));
            }
        } catch (IOException | IllegalArgumentException e) {
            // Camel Main reads the same file next and says what is wrong with it
        }
    }

    /** The profile ({@code camel.main.profile}) as Camel Main chooses it: environment, -D, --config, then the file. */
    public Optional<String> profile() {
        Optional<String> value = Optional.ofNullable(environment.get(environmentName(PROFILE)))
                .or(() -> Optional.ofNullable(system.get(PROFILE)))
                .or(() -> Optional.ofNullable(configFile.getProperty(PROFILE)))
                .or(() -> Optional.ofNullable(files.getProperty(PROFILE)));
        return value.map(String::trim).filter(name -> !name.isEmpty());
    }

    /** The {@code --config} file's properties, which Camel Main takes as its override properties. */
    public Properties configFile() {
        Properties copy = new Properties();
        copy.putAll(configFile);
        return copy;
    }

    /** The value of {@code key} as written, from the last source that has it. */
    public Optional<String> get(String key) {
        String value = environment.get(environmentName(key));
        if (value == null) {
            value = system.get(key);
        }
        if (value == null) {
            value = files.getProperty(key);
        }
        return Optional.ofNullable(value);
    }

    /** The value of {@code key} with its placeholders resolved, as Camel's properties component gives it. */
    public Optional<String> value(String key) {
        return get(key).map(value -> resolve(value, resolved -> { }));
    }

    /**
     * {@code text} with its placeholders ({@code {{env:NAME}}}, {@code {{sys:name}}}, {@code {{other.setting}}}, each
     * with an optional {@code :default}) resolved as Camel resolves them; {@code each} hears every value a placeholder
     * resolved to on the way. A placeholder that resolves to nothing stays as written.
     */
    public String resolve(String text, Consumer<String> each) {
        return resolve(text, each, 0);
    }

    private String resolve(String text, Consumer<String> each, int depth) {
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
                    value = environment.get(environmentName(name));
                }
            } else if ("sys".equals(function)) {
                value = system.get(name);
            } else {
                value = get(name).orElse(null);
            }
            if (value == null) {
                value = placeholder.group(3);
            }
            if (value == null) {
                value = placeholder.group();
            } else {
                value = resolve(value, each, depth + 1);
                each.accept(value);
            }
            placeholder.appendReplacement(resolved, Matcher.quoteReplacement(value));
        }
        placeholder.appendTail(resolved);
        return resolved.toString();
    }

    /**
     * Every setting whose name starts with {@code prefix} (dotted, lower case), with its value. A variable's name gives
     * the setting's name in lower case ({@code LOGGING_LEVEL_ORG_APACHE_CAMEL} is {@code logging.level.org.apache.camel}).
     */
    public Map<String, String> startingWith(String prefix) {
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

    /**
     * The keys given whose name starts with {@code prefix}, as {@link SettingNames} checks them: the properties
     * files' and {@code -D}'s by name, the environment's by the variable's name.
     */
    public SettingNames.Given given(String prefix) {
        Map<String, String> keys = new LinkedHashMap<>();
        for (String key : files.stringPropertyNames()) {
            if (key.startsWith(prefix)) {
                keys.put(key, configFile.containsKey(key) ? CONFIG_OPTION + " file" : "a properties file");
            }
        }
        system.keySet().stream().filter(key -> key.startsWith(prefix)).forEach(key -> keys.put(key, "-D"));
        String variablePrefix = environmentName(prefix);
        return new SettingNames.Given(keys, environment.keySet().stream()
                .filter(name -> name.startsWith(variablePrefix)).sorted().toList());
    }

    /** The name of the environment variable that sets {@code key}, as Camel looks it up. */
    public static String environmentName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}
