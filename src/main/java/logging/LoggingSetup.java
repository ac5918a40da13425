package logging;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;

import ch.qos.logback.classic.LoggerContext;
import config.ConfigurationException;
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

    public static void start() {
        if (System.getProperty("slf4j.provider") == null) {
            System.setProperty("slf4j.provider", PROVIDER);
            if (System.getProperty("slf4j.internal.verbosity") == null) {
                System.setProperty("slf4j.internal.verbosity", "WARN");
            }
        }
        StartupSettings settings = StartupSettings.read();
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
        applyLevels(settings.startingWith(LogLevels.PREFIX), System.err);
    }

    private static void applyLevels(Map<String, String> levels, PrintStream problems) {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext logback) {
            LogLevels.apply(levels, logback, problems);
        }
    }
}
