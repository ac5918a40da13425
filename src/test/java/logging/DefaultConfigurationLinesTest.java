package logging;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.status.Status;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import core.RunLogContext;
import core.Secrets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The lines of the app's own logging configuration ({@code logback.xml}): the time, the level, the thread, the
 * logger, {@code [dataset runId]} on a run's lines, then the message; secrets masked in messages (Camel's lines about
 * settings by the setting's name) and in stack traces, control characters escaped, frames indented with spaces; the
 * same masked message in a JSON line with {@code logging.format=json}; and no warning from Logback about the file.
 */
class DefaultConfigurationLinesTest {

    private static final String NL = System.lineSeparator();

    @AfterEach
    void clearFormat() {
        System.clearProperty("logging.format");
    }

    @Test
    void aLineHasTheTimeLevelThreadLoggerRunAndMessage() {
        LoggerContext context = configured();
        String line = line(context, event(context, "run.RunQueue", Level.INFO, "run {} waits", "r1"));
        assertTrue(line.matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  \\[test-thread\\] run\\.RunQueue run r1 waits" + NL),
                line);

        LoggingEvent ofARun = event(context, "lake.EmbeddedIcebergLoadEngine", Level.WARN, "slow", null);
        ofARun.setMDCPropertyMap(Map.of(RunLogContext.DATASET, "products", RunLogContext.RUN_ID, "20260101-000000-abcd"));
        String runLine = line(context, ofARun);
        assertTrue(runLine.endsWith(" WARN  [test-thread] l.EmbeddedIcebergLoadEngine [products 20260101-000000-abcd] slow"
                                    + NL), runLine);
    }

    @Test
    void camelsLinesAboutSettingsAreMaskedByTheSettingsName() {
        LoggerContext context = configured();
        assertEquals("    [JVM System Property]   pipeline.source.headers = X-T=***,Authorization=***",
                message(context, "    [JVM System Property]   pipeline.source.headers = X-T={{env:TOKEN}},Authorization=Bearer 1"));
        assertEquals("Found a JVM system property: pipeline.source.headers with value: Authorization=*** to be used.",
                message(context, "Found a JVM system property: pipeline.source.headers with value: Authorization=Bearer 1 to be used."));
        assertEquals("Found an OS environment property: pipeline.athena.secretAccessKey with value: *** to be used.",
                message(context, "Found an OS environment property: pipeline.athena.secretAccessKey with value: abc to be used."));
        assertEquals("Parsed uri pipeline.source.headers -> A=***",
                message(context, "Parsed uri pipeline.source.headers -> A=Bearer 1"));
        assertEquals("[application.properties] pipeline.source.url = https://h/p.csv?***",
                message(context, "[application.properties] pipeline.source.url = https://h/p.csv?t=1"));
    }

    @Test
    void rememberedSecretsAreMaskedWhereverTheyAppear() {
        LoggerContext context = configured();
        Secrets.remember("envfunction-secret-77");
        assertEquals("Property with key [env:UPSTREAM_BEARER] applied by function [env] -> ***",
                message(context, "Property with key [env:UPSTREAM_BEARER] applied by function [env] -> envfunction-secret-77"));
    }

    @Test
    void otherMessagesAreMaskedByContentAndKeepTheirLines() {
        LoggerContext context = configured();
        assertEquals("failed invoking http://***@h/p.csv?***" + "\nnext line \\u001b[0m \\t",
                message(context, "failed invoking http://u:p@h/p.csv?t=1\nnext line \u001b[0m \t"));
    }

    @Test
    void aStackTraceFollowsItsMessageMaskedWithFramesIndentedBySpaces() {
        LoggerContext context = configured();
        Exception cause = new IllegalArgumentException("password=hunter2\tand more");
        Exception thrown = new IllegalStateException("GET http://u:p@h/p.csv?t=1 failed", cause);
        String line = line(context, event(context, "routes.Errors", Level.WARN, "retrying", thrown));

        assertTrue(line.contains("retrying" + NL + "java.lang.IllegalStateException: GET http://***@h/p.csv?*** failed"
                                 + NL + "    at "), line);
        assertTrue(line.contains("Caused by: java.lang.IllegalArgumentException: password=***\\tand more"), line);
        assertFalse(line.contains("u:p@") || line.contains("hunter2") || line.contains("\t"), line);
    }

    @Test
    void jsonLinesCarryTheMaskedMessageTheRunAndNoArguments() throws Exception {
        System.setProperty("logging.format", "json");
        LoggerContext context = configured();
        LoggingEvent event = event(context, "pipeline.run", Level.ERROR, "run {} failed: {}", null);
        event.setArgumentArray(new Object[] {"r2", "http://u:p@h/p.csv?t=1"});
        event.setMDCPropertyMap(Map.of(RunLogContext.DATASET, "orders", RunLogContext.RUN_ID, "r2"));

        String line = line(context, event);

        JsonNode json = new ObjectMapper().readTree(line);
        assertEquals("run r2 failed: http://***@h/p.csv?***", json.path("message").asText(), line);
        assertEquals("ERROR", json.path("level").asText(), line);
        assertTrue(json.path("arguments").isMissingNode(), line);
        assertEquals("r2", json.path("mdc").path("runId").asText(), line);
        assertEquals("orders", json.path("mdc").path("dataset").asText(), line);
        assertFalse(line.contains("u:p@"), line);
        assertTrue(line.endsWith("\n") && line.indexOf('\n') == line.length() - 1, "one line: " + line);
    }

    /** A logger context configured by the app's logback.xml, as the app's is; fails on any warning Logback gives. */
    private static LoggerContext configured() {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter());
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        try {
            configurator.doConfigure(DefaultConfigurationLinesTest.class.getClassLoader().getResource("logback.xml"));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        for (Status status : context.getStatusManager().getCopyOfStatusList()) {
            assertTrue(status.getLevel() < Status.WARN, "logback.xml: " + status);
        }
        return context;
    }

    private static LoggingEvent event(LoggerContext context, String logger, Level level, String message, Object argument) {
        Throwable thrown = argument instanceof Throwable t ? t : null;
        Object[] arguments = argument == null || thrown != null ? null : new Object[] {argument};
        LoggingEvent event = new LoggingEvent(Logger.class.getName(), context.getLogger(logger), level, message, thrown,
                arguments);
        event.setThreadName("test-thread");
        return event;
    }

    private static String line(LoggerContext context, ILoggingEvent event) {
        OutputStreamAppender<ILoggingEvent> console =
                (OutputStreamAppender<ILoggingEvent>) context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("CONSOLE");
        return new String(console.getEncoder().encode(event), StandardCharsets.UTF_8);
    }

    /** The message part of a line: what follows the logger's name. */
    private static String message(LoggerContext context, String message) {
        String line = line(context, event(context, "org.apache.camel.component.properties.DefaultPropertiesParser",
                Level.DEBUG, message, null));
        String prefix = "o.a.c.c.p.DefaultPropertiesParser ";
        int at = line.indexOf(prefix);
        assertTrue(at > 0, line);
        return line.substring(at + prefix.length(), line.length() - NL.length());
    }
}
