package logging;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import core.Printable;
import core.Secrets;

/**
 * What a log message may show: every secret masked ({@link Secrets}), and control characters other than line breaks
 * escaped, whoever logged it. Camel Main's start-up listing of the settings names a setting and its value: the value
 * is masked by the setting's name, as {@link Secrets#property} does, so that a secret header shows as
 * {@code Authorization=***}.
 */
public final class LogMasking {

    /** A line of Camel Main's start-up property listing, {@code [source]   key = value}: group 1 the key, 2 the value. */
    private static final List<Pattern> SETTING_LINES = List.of(
            Pattern.compile("^\\s*\\[[^\\]]*\\]\\s+([\\w.\\-\\[\\]]+) = (.*)$", Pattern.DOTALL));

    private LogMasking() {
    }

    /** {@code message} as a log line may show it; its line breaks kept. */
    public static String message(String message) {
        if (message == null || message.isEmpty()) {
            return message;
        }
        return Printable.escapeKeepingLines(masked(message));
    }

    /** {@code text} with its secrets masked and every control character escaped: one line (a thread's name). */
    static String oneLine(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        return Printable.escape(Secrets.text(text));
    }

    private static String masked(String message) {
        char first = message.charAt(0);
        if (first == ' ' || first == '[') {
            for (Pattern shape : SETTING_LINES) {
                Matcher setting = shape.matcher(message);
                if (setting.matches()) {
                    return message.substring(0, setting.start(2))
                           + Secrets.property(setting.group(1), setting.group(2))
                           + message.substring(setting.end(2));
                }
            }
        }
        return Secrets.text(message);
    }
}
