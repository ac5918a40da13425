package logs;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.TimeZone;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import core.Printable;
import core.Secrets;
import org.slf4j.event.Level;

/**
 * One log event as one line on standard output: {@code 08:29:16.264 INFO  run                      message}, the
 * time, the level, the logger's last name (its last 24 characters), then the message and its stack trace with
 * secrets masked ({@link Secrets}) and control characters other than line breaks escaped, whoever logged them
 * (Camel's property listing, its redelivery warnings, the HTTP client, the app). Written whole in one call, so that
 * the lines of two threads never interleave.
 */
final class LogLines {

    private static final int LABEL = 24;
    private static final long DAY = 86_400_000L;
    /**
     * The zone of the times, read once. Through {@link TimeZone}: {@code java.time}'s system zone loads its own
     * copy of the time-zone rules, 60 ms of the first line of a run.
     */
    private static final TimeZone ZONE = TimeZone.getDefault();
    /** A line of Camel Main's start-up property listing: {@code [source]   key = value}. */
    private static final Pattern PROPERTY_LINE = Pattern.compile("^(\\s*\\[[^\\]]*\\]\\s+)([\\w.\\-\\[\\]]+) = (.*)$",
            Pattern.DOTALL);

    private LogLines() {
    }

    static void write(Level level, String label, String message, Throwable thrown) {
        long now = System.currentTimeMillis();
        System.out.print(line(now + ZONE.getOffset(now), level, label, message, thrown));
    }

    /** The line of an event at {@code localMillis}: milliseconds since the epoch, shifted to local time. */
    static String line(long localMillis, Level level, String label, String message, Throwable thrown) {
        StringBuilder line = new StringBuilder(80 + (message == null ? 0 : message.length()));
        int millis = (int) Math.floorMod(localMillis, DAY);
        two(line, millis / 3_600_000).append(':');
        two(line, millis / 60_000 % 60).append(':');
        two(line, millis / 1000 % 60).append('.');
        line.append((char) ('0' + millis % 1000 / 100)).append((char) ('0' + millis % 100 / 10))
                .append((char) ('0' + millis % 10)).append(' ');
        String name = level.name();
        line.append(name).append(" ".repeat(Math.max(0, 6 - name.length())));
        line.append(label).append(' ').append(mask(message));
        if (thrown != null) {
            StringWriter trace = new StringWriter();
            thrown.printStackTrace(new PrintWriter(trace));
            // a frame's leading tab as spaces: tabs elsewhere are escaped, as any control character
            String frames = trace.toString().stripTrailing().replace("\n\t", "\n    ");
            line.append(System.lineSeparator()).append(mask(frames));
        }
        return line.append(System.lineSeparator()).toString();
    }

    /** The logger's last dotted name, its last 24 characters, padded to 24. */
    static String label(String logger) {
        String last = logger.substring(logger.lastIndexOf('.') + 1);
        if (last.length() > LABEL) {
            return last.substring(last.length() - LABEL);
        }
        return last + " ".repeat(LABEL - last.length());
    }

    static String mask(String message) {
        if (message == null) {
            return "";
        }
        Matcher property = PROPERTY_LINE.matcher(message);
        String masked = property.matches()
                ? property.group(1) + property.group(2) + " = " + Secrets.property(property.group(2), property.group(3))
                : Secrets.text(message);
        return Printable.escapeKeepingLines(masked);
    }

    private static StringBuilder two(StringBuilder line, int value) {
        return line.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
    }
}
