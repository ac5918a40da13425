package logs;

import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A log line is the time, the level, the logger's last name in 24 characters, then the message; Camel's property
 * listing is masked by property name, other messages and stack traces by content, and control characters escaped.
 */
class LogLinesTest {

    private static final String NL = System.lineSeparator();

    private static long at(LocalTime time) {
        return time.toNanoOfDay() / 1_000_000 + 3 * 86_400_000L;
    }

    @Test
    void aLineHasTheTimeTheLevelAndTheLoggersLastName() {
        assertEquals("08:05:09.007 INFO  run                      run 1 SUCCEEDED" + NL,
                LogLines.line(at(LocalTime.of(8, 5, 9, 7_000_000)), Level.INFO, LogLines.label("run"), "run 1 SUCCEEDED",
                        null));
        assertEquals("23:59:59.999 ERROR mbeddedIcebergLoadEngine failed" + NL,
                LogLines.line(at(LocalTime.of(23, 59, 59, 999_999_999)), Level.ERROR,
                        LogLines.label("lake.EmbeddedIcebergLoadEngine"), "failed", null));
    }

    @Test
    void theTimeIsTheLocalTimeOfDay() {
        long localMillis = LocalDateTime.of(2026, 12, 5, 1, 2, 3, 4_000_000).toEpochSecond(ZoneOffset.UTC) * 1000 + 4;
        assertTrue(LogLines.line(localMillis, Level.INFO, LogLines.label("run"), "m", null).startsWith("01:02:03.004 "));
        assertTrue(LogLines.line(-1, Level.INFO, LogLines.label("run"), "m", null).startsWith("23:59:59.999 "),
                "a local time before 1970");
    }

    @Test
    void propertyListingLinesAreMaskedByName() {
        assertEquals("    [JVM System Property]   pipeline.source.headers = X-T=***",
                LogLines.mask("    [JVM System Property]   pipeline.source.headers = X-T={{env:TOKEN}}"));
        assertEquals("[application.properties] pipeline.source.url = https://h/p.csv?***",
                LogLines.mask("[application.properties] pipeline.source.url = https://h/p.csv?t=1"));
    }

    @Test
    void otherMessagesAreMaskedByContentAndKeepTheirLines() {
        assertEquals("failed invoking http://***@h/p.csv?***\nnext line \\u001b[0m",
                LogLines.mask("failed invoking http://u:p@h/p.csv?t=1\nnext line \u001b[0m"));
    }

    @Test
    void aStackTraceFollowsItsMessageMasked() {
        String line = LogLines.line(at(LocalTime.NOON), Level.WARN, LogLines.label("routes.Errors"), "retrying",
                new IllegalStateException("GET http://u:p@h/p.csv?t=1 failed"));
        assertTrue(line.startsWith("12:00:00.000 WARN  Errors                   retrying" + NL
                                   + "java.lang.IllegalStateException: GET http://***@h/p.csv?*** failed" + NL
                                   + "    at "), line);
        assertFalse(line.contains("u:p@"), line);
        assertTrue(line.endsWith(NL) && !line.endsWith(NL + NL), line);
    }
}
