package convert;

import java.util.List;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

/**
 * Test support: collects the warnings and errors one class logs while it is open, through an appender of its own on
 * that class's logger; they still reach the console as well.
 */
final class CapturedWarnings implements AutoCloseable {

    private final Logger logger;
    private final ListAppender<ILoggingEvent> captured = new ListAppender<>();

    CapturedWarnings(Class<?> source) {
        logger = (Logger) LoggerFactory.getLogger(source);
        captured.setContext(logger.getLoggerContext());
        captured.start();
        logger.addAppender(captured);
    }

    List<String> messages() {
        // an appender appends under its own lock
        synchronized (captured) {
            return captured.list.stream().filter(event -> event.getLevel().isGreaterOrEqual(Level.WARN))
                    .map(ILoggingEvent::getFormattedMessage).toList();
        }
    }

    @Override
    public void close() {
        logger.detachAppender(captured);
        captured.stop();
    }
}
