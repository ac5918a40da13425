package logs;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Logger;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.BasicMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The app's SLF4J backend: one line per event on standard output ({@link LogLines}), levels from
 * {@code logging.level.*} ({@link LogLevels}). Camel, the AWS SDK, Hadoop, Iceberg and the embedded S3 server all log
 * through SLF4J. A backend of its own because a general one costs a one-shot run its start: Log4j 2 took a fifth of a
 * second of the main thread before Camel began, reading its plugins, properties and configuration factories from
 * every jar of the class path.
 */
public final class ConsoleLogging implements SLF4JServiceProvider {

    /**
     * Names this provider to SLF4J, which then does not look for one in every jar ({@code slf4j.provider}), and
     * keeps SLF4J from announcing it on standard error ({@code slf4j.internal.verbosity}).
     */
    public static void name() {
        if (System.getProperty("slf4j.provider") == null) {
            System.setProperty("slf4j.provider", ConsoleLogging.class.getName());
            if (System.getProperty("slf4j.internal.verbosity") == null) {
                System.setProperty("slf4j.internal.verbosity", "WARN");
            }
        }
    }

    private final IMarkerFactory markers = new BasicMarkerFactory();
    private final MDCAdapter mdc = new BasicMDCAdapter();
    private ILoggerFactory loggers;

    @Override
    public ILoggerFactory getLoggerFactory() {
        return loggers;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markers;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }

    @Override
    public String getRequestedApiVersion() {
        return "2.0.99";
    }

    @Override
    public void initialize() {
        loggers = new Loggers(LogLevels.load(System.err));
    }

    private static final class Loggers implements ILoggerFactory {

        private final LogLevels levels;
        private final ConcurrentMap<String, Logger> loggers = new ConcurrentHashMap<>();

        Loggers(LogLevels levels) {
            this.levels = levels;
        }

        @Override
        public Logger getLogger(String name) {
            return loggers.computeIfAbsent(name, n -> new ConsoleLogger(n, levels.levelOf(n)));
        }
    }
}
