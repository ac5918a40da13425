package core;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link Printable} writes control characters as escapes, so outside text cannot forge or colour a log line. */
class PrintableTest {

    @Test
    void controlCharactersAreEscaped() {
        assertEquals("a\\u001b[31mb\\tsource=x\\r\\nc.csv", Printable.escape("a\u001b[31mb\tsource=x\r\nc.csv"));
        assertEquals("plain name.csv", Printable.escape("plain name.csv"));
        assertEquals("two\nlines\\t", Printable.escapeKeepingLines("two\nlines\t"));
    }
}
