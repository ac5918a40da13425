package logging;

import java.nio.charset.Charset;
import java.util.Locale;

import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * The encoder of the app's appenders, and the one a logging configuration file of one's own names to keep secrets
 * out of its lines: each event is written masked ({@link MaskedEvent}), as a line of its {@code <pattern>}
 * (Logback's pattern encoder) or, with {@code <format>json</format>}, as one JSON object per line (Logback's JSON
 * encoder: the message is the formatted one, its arguments are not written apart). In a text line, a stack trace's
 * frames are indented with spaces rather than Logback's tab, which the line's text never holds raw.
 */
public class MaskingEncoder extends PatternLayoutEncoder {

    private String format = "text";
    private JsonEncoder json;

    /** {@code text} (the default; blank means it too) or {@code json}. */
    public void setFormat(String format) {
        this.format = format == null || format.isBlank() ? "text" : format.trim().toLowerCase(Locale.ROOT);
    }

    @Override
    public void start() {
        switch (format) {
            case "text" -> super.start();
            case "json" -> {
                json = new JsonEncoder();
                json.setContext(getContext());
                // a line of its own says it all: no sequence number, nanoseconds or logger context
                json.setWithSequenceNumber(false);
                json.setWithNanoseconds(false);
                json.setWithContext(false);
                json.setWithArguments(false);
                json.start();
                started = true;
            }
            default -> addError("format must be text or json, was " + format);
        }
    }

    @Override
    public byte[] headerBytes() {
        return json != null ? json.headerBytes() : super.headerBytes();
    }

    @Override
    public byte[] footerBytes() {
        return json != null ? json.footerBytes() : super.footerBytes();
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        if (json != null) {
            return json.encode(new MaskedEvent(event));
        }
        if (layout == null) {
            return null;
        }
        String text = layout.doLayout(new MaskedEvent(event));
        if (event.getThrowableProxy() != null) {
            // the event's own text has its tabs escaped: a raw one is Logback's indentation of a frame
            text = text.replace("\t", "    ");
        }
        Charset charset = getCharset();
        return charset == null ? text.getBytes() : text.getBytes(charset);
    }
}
