package logging;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import core.Printable;
import core.Secrets;

/**
 * What a log message may show: every secret masked ({@link Secrets}), and control characters other than line breaks
 * escaped, whoever logged it. Camel's own lines about settings (its start-up listing at INFO, its properties
 * component at DEBUG and TRACE) name a setting and its value: the value is masked by the setting's name, as
 * {@link Secrets#property} does, so that a secret header shows as {@code Authorization=***}.
 */
public final class LogMasking {

    /**
     * Lines that show a setting and its value: group 1 the setting's name, group 2 its value. In order: Camel Main's
     * start-up listing ({@code [source]   key = value}), then the DEBUG and TRACE lines of Camel's properties
     * component, which it writes as it resolves each setting and each {@code {{env:...}}} function.
     */
    private static final List<Pattern> SETTING_LINES = List.of(
            Pattern.compile("^\\s*\\[[^\\]]*\\]\\s+([\\w.\\-\\[\\]]+) = (.*)$", Pattern.DOTALL),
            Pattern.compile("^Found [^:]*property[^:]*: (\\S+) with value: (.*) to be used\\.$", Pattern.DOTALL),
            Pattern.compile("^Parsed uri (\\S+) -> (.*)$", Pattern.DOTALL),
            Pattern.compile("^Property with key \\[([^\\]]*)\\] applied by function \\[[^\\]]*\\] -> (.*)$", Pattern.DOTALL),
            Pattern.compile("^Property with key \\[([^\\]]*)\\] not found, using default value: (.*)$", Pattern.DOTALL),
            Pattern.compile("^lookup\\(name: (\\S+) (default: .*)$", Pattern.DOTALL),
            Pattern.compile("^Property \\(name: (\\S+) (default: .*)$", Pattern.DOTALL));

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
        if (first == ' ' || first == '[' || first == 'F' || first == 'P' || first == 'l') {
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
