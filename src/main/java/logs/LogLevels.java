package logs;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

import org.slf4j.event.Level;

/**
 * The level of each logger: {@code logging.level.<name>=LEVEL} for a logger and the loggers under it (the longest
 * name that is the logger's or a dotted prefix of it wins), {@code logging.level.root} for the rest. Read from
 * {@code application.properties} on the class path, then system properties ({@code -Dlogging.level.org.apache.camel=
 * DEBUG}), then environment variables ({@code LOGGING_LEVEL_ORG_APACHE_CAMEL=DEBUG}: underscores for dots, case
 * ignored), each overriding the one before, as for every other setting. A level that is not one names its property
 * on standard error and is ignored.
 */
final class LogLevels {

    static final String PREFIX = "logging.level.";
    private static final String ROOT = "root";
    private static final String ENV_PREFIX = "LOGGING_LEVEL_";
    /** {@code OFF}: above every level, nothing is logged. */
    static final int OFF = Level.ERROR.toInt() + 10;

    private record Rule(String name, int level) {
    }

    private final List<Rule> rules;
    private final int root;

    private LogLevels(List<Rule> rules, int root) {
        this.rules = rules;
        this.root = root;
    }

    static LogLevels load(PrintStream problems) {
        Properties settings = new Properties();
        try (InputStream in = LogLevels.class.getClassLoader().getResourceAsStream("application.properties")) {
            if (in != null) {
                settings.load(in);
            }
        } catch (IOException | IllegalArgumentException e) {
            problems.println("application.properties: cannot read its logging.level.* settings: " + e);
        }
        for (String key : System.getProperties().stringPropertyNames()) {
            if (key.startsWith(PREFIX)) {
                settings.setProperty(key, System.getProperty(key));
            }
        }
        for (Map.Entry<String, String> variable : System.getenv().entrySet()) {
            if (variable.getKey().startsWith(ENV_PREFIX)) {
                String name = variable.getKey().substring(ENV_PREFIX.length()).replace('_', '.');
                settings.setProperty(PREFIX + name.toLowerCase(Locale.ROOT), variable.getValue());
            }
        }
        return of(settings, problems);
    }

    static LogLevels of(Properties settings, PrintStream problems) {
        List<Rule> rules = new ArrayList<>();
        int root = Level.INFO.toInt();
        for (String key : settings.stringPropertyNames()) {
            if (!key.startsWith(PREFIX) || key.length() == PREFIX.length()) {
                continue;
            }
            String value = settings.getProperty(key).trim();
            Integer level = parse(value);
            if (level == null) {
                problems.println(key + "=" + value + ": not a level (TRACE, DEBUG, INFO, WARN, ERROR or OFF); ignored");
                continue;
            }
            String name = key.substring(PREFIX.length());
            if (name.equalsIgnoreCase(ROOT)) {
                root = level;
            } else {
                rules.add(new Rule(name.toLowerCase(Locale.ROOT), level));
            }
        }
        rules.sort(Comparator.comparingInt((Rule rule) -> rule.name().length()).reversed());
        return new LogLevels(List.copyOf(rules), root);
    }

    /** The level of logger {@code name}, as {@link Level#toInt()}, or {@link #OFF}. */
    int levelOf(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        for (Rule rule : rules) {
            if (lower.startsWith(rule.name())
                && (lower.length() == rule.name().length() || lower.charAt(rule.name().length()) == '.')) {
                return rule.level();
            }
        }
        return root;
    }

    private static Integer parse(String value) {
        if (value.equalsIgnoreCase("OFF")) {
            return OFF;
        }
        for (Level level : Level.values()) {
            if (level.name().equalsIgnoreCase(value)) {
                return level.toInt();
            }
        }
        return null;
    }
}
