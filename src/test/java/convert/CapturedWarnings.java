package convert;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * Test support: collects the warnings one logger writes while it is open, whichever SLF4J backend is bound (Log4j 2,
 * or Logback when a dependency brings it in; Logback is reached by reflection so the tests compile without it).
 */
final class CapturedWarnings implements AutoCloseable {

    private final String loggerName;
    private final List<String> log4jMessages = new CopyOnWriteArrayList<>();
    private AbstractAppender log4jAppender;
    private Object logbackLogger;
    private Object logbackAppender;

    CapturedWarnings(Class<?> source) throws ReflectiveOperationException {
        loggerName = source.getName();
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (factory.getClass().getName().startsWith("ch.qos.logback")) {
            logbackLogger = factory.getClass().getMethod("getLogger", String.class).invoke(factory, loggerName);
            Class<?> appenderType = Class.forName("ch.qos.logback.core.read.ListAppender");
            logbackAppender = appenderType.getConstructor().newInstance();
            Class<?> contextType = Class.forName("ch.qos.logback.core.Context");
            appenderType.getMethod("setContext", contextType).invoke(logbackAppender, factory);
            appenderType.getMethod("start").invoke(logbackAppender);
            logbackLogger.getClass().getMethod("addAppender", Class.forName("ch.qos.logback.core.Appender"))
                    .invoke(logbackLogger, logbackAppender);
        } else {
            log4jAppender = new AbstractAppender("captured", null, null, true, Property.EMPTY_ARRAY) {
                @Override
                public void append(LogEvent event) {
                    if (event.getLevel().isMoreSpecificThan(Level.WARN)) {
                        log4jMessages.add(event.getMessage().getFormattedMessage());
                    }
                }
            };
            log4jAppender.start();
            LoggerContext context = (LoggerContext) LogManager.getContext(false);
            LoggerConfig logger = new LoggerConfig(loggerName, Level.WARN, false);
            logger.addAppender(log4jAppender, Level.WARN, null);
            context.getConfiguration().addLogger(loggerName, logger);
            context.updateLoggers();
        }
    }

    List<String> messages() throws ReflectiveOperationException {
        if (logbackAppender == null) {
            return List.copyOf(log4jMessages);
        }
        Field list = logbackAppender.getClass().getField("list");
        List<String> warnings = new ArrayList<>();
        for (Object event : (List<?>) list.get(logbackAppender)) {
            String level = event.getClass().getMethod("getLevel").invoke(event).toString();
            if (level.equals("WARN") || level.equals("ERROR")) {
                warnings.add((String) event.getClass().getMethod("getFormattedMessage").invoke(event));
            }
        }
        return warnings;
    }

    @Override
    public void close() throws ReflectiveOperationException {
        if (logbackAppender != null) {
            logbackLogger.getClass().getMethod("detachAppender", Class.forName("ch.qos.logback.core.Appender"))
                    .invoke(logbackLogger, logbackAppender);
            return;
        }
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        context.getConfiguration().removeLogger(loggerName);
        context.updateLoggers();
        log4jAppender.stop();
    }
}
