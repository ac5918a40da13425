package logging;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code logging.level.<name>} sets the level of a logger and of those under it, {@code logging.level.root} the rest,
 * over what the configuration file set; a value that is no level is named on standard error, then ignored.
 */
class LogLevelsTest {

    private final ByteArrayOutputStream problems = new ByteArrayOutputStream();
    private final LoggerContext loggers = new LoggerContext();

    @Test
    void aLoggersLevelHoldsForTheLoggersUnderIt() {
        loggers.getLogger("org.apache.camel.impl.engine.AbstractCamelContext").setLevel(Level.ERROR);

        apply("logging.level.root", "warn", "logging.level.org.apache.camel", "DEBUG", "logging.level.org.gaul", "OFF");

        assertEquals(Level.DEBUG, loggers.getLogger("org.apache.camel.main.MainSupport").getEffectiveLevel());
        assertEquals(Level.ERROR, loggers.getLogger("org.apache.camel.impl.engine.AbstractCamelContext")
                .getEffectiveLevel(), "a level the file set for a logger further down stays");
        assertEquals(Level.WARN, loggers.getLogger("org.apache.camelx.Other").getEffectiveLevel(), "a prefix ends at a dot");
        assertEquals(Level.WARN, loggers.getLogger("run").getEffectiveLevel());
        assertEquals(Level.OFF, loggers.getLogger("org.gaul.s3proxy.S3Proxy").getEffectiveLevel());
        assertEquals("", problems.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aValueThatIsNoLevelIsReportedAndIgnored() {
        apply("logging.level.org.apache.camel", "LOUD", "logging.level.root", "DEBUG");

        assertEquals(Level.DEBUG, loggers.getLogger("org.apache.camel.main.MainSupport").getEffectiveLevel());
        String reported = problems.toString(StandardCharsets.UTF_8);
        assertTrue(reported.contains("logging.level.org.apache.camel=LOUD: not a level"), reported);
    }

    private void apply(String... keysAndValues) {
        Map<String, String> settings = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            settings.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        LogLevels.apply(settings, loggers, new PrintStream(problems, true, StandardCharsets.UTF_8));
    }
}
