package logging;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import org.slf4j.Logger;

/**
 * {@code logging.level.<logger>=LEVEL} settings, applied over the levels of the logging configuration file: the
 * level of a logger and of the loggers under it, {@code logging.level.root} for all. A value that is no level is
 * named on standard error and ignored.
 */
final class LogLevels {

    static final String PREFIX = "logging.level.";

    private LogLevels() {
    }

    static void apply(Map<String, String> settings, LoggerContext loggers, PrintStream problems) {
        settings.forEach((key, value) -> {
            if (!key.startsWith(PREFIX) || key.length() == PREFIX.length()) {
                return;
            }
            Level level = parse(value.trim());
            if (level == null) {
                problems.println(key + "=" + value.trim()
                                 + ": not a level (TRACE, DEBUG, INFO, WARN, ERROR or OFF); ignored");
                return;
            }
            String name = key.substring(PREFIX.length());
            loggers.getLogger(name.equalsIgnoreCase("root") ? Logger.ROOT_LOGGER_NAME : name).setLevel(level);
        });
    }

    private static Level parse(String value) {
        return switch (value.toUpperCase(Locale.ROOT)) {
            case "TRACE" -> Level.TRACE;
            case "DEBUG" -> Level.DEBUG;
            case "INFO" -> Level.INFO;
            case "WARN" -> Level.WARN;
            case "ERROR" -> Level.ERROR;
            case "OFF" -> Level.OFF;
            default -> null;
        };
    }
}
