package logs;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import core.Printable;
import core.Secrets;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.config.plugins.Plugin;
import org.apache.logging.log4j.core.pattern.ConverterKeys;
import org.apache.logging.log4j.core.pattern.LogEventPatternConverter;
import org.apache.logging.log4j.core.pattern.PatternConverter;

/**
 * {@code %maskedMsg} in a log4j2 pattern: the message and its stack trace with secrets masked ({@link Secrets}) and
 * control characters other than line breaks escaped, whoever logged them (Camel's property listing, its redelivery
 * warnings, the HTTP client, the app).
 */
@Plugin(name = "MaskedMessageConverter", category = PatternConverter.CATEGORY)
@ConverterKeys({ "maskedMsg" })
public final class MaskedMessageConverter extends LogEventPatternConverter {

    /** A line of Camel Main's start-up property listing: {@code [source]   key = value}. */
    private static final Pattern PROPERTY_LINE = Pattern.compile("^(\\s*\\[[^\\]]*\\]\\s+)([\\w.\\-\\[\\]]+) = (.*)$",
            Pattern.DOTALL);

    private MaskedMessageConverter() {
        super("maskedMsg", "message");
    }

    public static MaskedMessageConverter newInstance(String[] options) {
        return new MaskedMessageConverter();
    }

    @Override
    public void format(LogEvent event, StringBuilder toAppendTo) {
        toAppendTo.append(mask(event.getMessage().getFormattedMessage()));
        Throwable thrown = event.getThrown();
        if (thrown != null) {
            StringWriter trace = new StringWriter();
            thrown.printStackTrace(new PrintWriter(trace));
            toAppendTo.append(System.lineSeparator()).append(mask(trace.toString().stripTrailing()));
        }
    }

    @Override
    public boolean handlesThrowable() {
        return true;
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
}
