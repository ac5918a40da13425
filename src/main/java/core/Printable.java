package core;

/**
 * Makes outside text (a dropped file's name, a URL) safe to put in a log line: control characters are written as
 * escapes ({@code \t}, {@code \u001b}), so a name cannot move the cursor, colour the terminal or forge a field or a line.
 */
public final class Printable {

    private Printable() {
    }

    /** Every control character escaped, line breaks included: the result is one line. */
    public static String escape(String text) {
        return escape(text, false);
    }

    /** Control characters escaped, but line breaks kept (a multi-line log message stays readable). */
    public static String escapeKeepingLines(String text) {
        return escape(text, true);
    }

    private static String escape(String text, boolean keepLines) {
        if (text == null || !hasControl(text, keepLines)) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!isControl(c) || keepLines && c == '\n') {
                out.append(c);
            } else {
                switch (c) {
                    case '\t' -> out.append("\\t");
                    case '\r' -> out.append("\\r");
                    case '\n' -> out.append("\\n");
                    default -> out.append(String.format("\\u%04x", (int) c));
                }
            }
        }
        return out.toString();
    }

    private static boolean hasControl(String text, boolean keepLines) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (isControl(c) && !(keepLines && c == '\n')) {
                return true;
            }
        }
        return false;
    }

    private static boolean isControl(char c) {
        return c < 0x20 || c >= 0x7f && c <= 0x9f;
    }
}
