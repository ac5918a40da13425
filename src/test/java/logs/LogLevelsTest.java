package logs;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A logger takes the level of the longest {@code logging.level.<name>} that is its name or a dotted prefix of it,
 * else {@code logging.level.root}; case is ignored (environment variables are upper case), and a value that is no
 * level is reported naming its property, then ignored.
 */
class LogLevelsTest {

    private final ByteArrayOutputStream problems = new ByteArrayOutputStream();

    @Test
    void theLongestDottedPrefixWins() {
        LogLevels levels = levels("logging.level.root", "WARN", "logging.level.org.apache.camel", "INFO",
                "logging.level.org.apache.camel.impl.engine.AbstractCamelContext", "ERROR",
                "logging.level.org.gaul", "off");

        assertEquals(Level.INFO.toInt(), levels.levelOf("org.apache.camel.main.MainSupport"));
        assertEquals(Level.ERROR.toInt(), levels.levelOf("org.apache.camel.impl.engine.AbstractCamelContext"));
        assertEquals(Level.WARN.toInt(), levels.levelOf("org.apache.camelx.Other"), "a prefix ends at a dot");
        assertEquals(Level.WARN.toInt(), levels.levelOf("run"));
        assertEquals(LogLevels.OFF, levels.levelOf("org.gaul.s3proxy.S3Proxy"));
        assertEquals(Level.INFO.toInt(), levels.levelOf("ORG.APACHE.CAMEL.X"), "case is ignored");
    }

    @Test
    void withNoSettingsEverythingIsAtInfo() {
        assertEquals(Level.INFO.toInt(), levels().levelOf("lake.EmbeddedIcebergLoadEngine"));
    }

    @Test
    void aValueThatIsNoLevelIsReportedAndIgnored() {
        LogLevels levels = levels("logging.level.org.apache.camel", "LOUD", "logging.level.root", "DEBUG");

        assertEquals(Level.DEBUG.toInt(), levels.levelOf("org.apache.camel.main.MainSupport"));
        String reported = problems.toString(StandardCharsets.UTF_8);
        assertTrue(reported.contains("logging.level.org.apache.camel=LOUD: not a level"), reported);
    }

    @Test
    void theApplicationsDefaultsQuietTheLibraries() {
        LogLevels levels = LogLevels.load(new PrintStream(problems, true, StandardCharsets.UTF_8));

        assertEquals(Level.INFO.toInt(), levels.levelOf("run"));
        assertEquals(Level.ERROR.toInt(), levels.levelOf("org.apache.hadoop.util.NativeCodeLoader"));
        assertEquals(Level.WARN.toInt(), levels.levelOf("org.apache.iceberg.hadoop.HadoopTableOperations"));
        assertEquals("", problems.toString(StandardCharsets.UTF_8));
    }

    private LogLevels levels(String... keysAndValues) {
        Properties settings = new Properties();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            settings.setProperty(keysAndValues[i], keysAndValues[i + 1]);
        }
        return LogLevels.of(settings, new PrintStream(problems, true, StandardCharsets.UTF_8));
    }
}
