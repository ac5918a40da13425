package logging;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import ch.qos.logback.classic.LoggerContext;
import config.ConfigurationException;
import config.GivenSettings;
import org.slf4j.LoggerFactory;

/**
 * Logging made ready before anything logs: SLF4J is told its backend, Logback, so it does not look for one in every
 * jar; the settings of the default configuration file ({@code logging.file}, {@code logging.format},
 * {@code logging.file.format}) are handed to it as system properties, whichever source set them; the secrets among
 * the settings are made known ({@link SecretSettings}); then Logback reads its configuration file and the
 * {@code logging.level.*} settings are applied over it ({@link LogLevels}).
 */
public final class LoggingSetup {

    private static final String PROVIDER = "ch.qos.logback.classic.spi.LogbackServiceProvider";
    private static final List<String> FORMATS = List.of("logging.format", "logging.file.format");
    private static final List<String> OPTIONS = List.of("logging.file", "logging.format", "logging.file.format");

    private LoggingSetup() {
    }

    /** Logging of the pipeline, from the settings as given. */
    public static void start(GivenSettings settings) {
        start(settings, false);
    }

    /**
     * Logging of a command: its answer is its output, so only warnings and errors are logged, unless
     * {@code logging.level.*} says otherwise.
     */
    public static void startForCommand(GivenSettings settings) {
        start(settings, true);
    }

    private static void start(GivenSettings settings, boolean command) {
        if (System.getProperty("slf4j.provider") == null) {
            System.setProperty("slf4j.provider", PROVIDER);
            if (System.getProperty("slf4j.internal.verbosity") == null) {
                System.setProperty("slf4j.internal.verbosity", "WARN");
            }
        }
        for (String format : FORMATS) {
            String value = settings.get(format).map(String::trim).orElse("");
            if (!value.isEmpty() && !value.equals("text") && !value.equals("json")) {
                throw new ConfigurationException(List.of(format + " must be text or json, was " + value));
            }
        }
        for (String option : OPTIONS) {
            settings.get(option).map(String::trim).filter(value -> !value.isEmpty())
                    .ifPresent(value -> System.setProperty(option, value));
        }
        SecretSettings.remember(settings);
        Map<String, String> levels = new LinkedHashMap<>();
        if (command) {
            levels.put(LogLevels.PREFIX + "root", "WARN");
        }
        levels.putAll(settings.startingWith(LogLevels.PREFIX));
        applyLevels(levels, System.err);
    }

    private static void applyLevels(Map<String, String> levels, PrintStream problems) {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext logback) {
            LogLevels.apply(levels, logback, problems);
        }
    }
}
