package convert;

import java.io.Closeable;
import java.io.IOException;
import java.io.Reader;
import java.util.Arrays;

/**
 * Splits RFC 4180 CSV into records over one growing char buffer, as commons-csv's {@code CSVFormat.DEFAULT} with the
 * convert stage's delimiter and quote does: quoted fields may hold delimiters, doubled quotes and line breaks; CRLF, LF
 * and a lone CR end a line; empty lines are skipped; a quote inside an unquoted field is kept as written. Each record
 * knows the physical line it starts on. Whitespace after a closing quote is skipped, as commons-csv does.
 */
final class CsvTokenizer implements Closeable {

    /** A field longer than this is refused rather than grown without bound (an unterminated quote, most likely). */
    static final int MAX_FIELD_CHARS = 64 * 1024 * 1024;
    private static final int BUFFER_CHARS = 64 * 1024;

    private final Reader in;
    private final char delimiter;
    private final char quote;
    private char[] buf = new char[BUFFER_CHARS];
    private int pos;
    private int limit;
    private boolean eof;
    private long line = 1;
    private String[] fields = new String[16];
    private int count;

    CsvTokenizer(Reader in, char delimiter, char quote) {
        this.in = in;
        this.delimiter = delimiter;
        this.quote = quote;
    }

    /** The next record, or {@code null} at the end of the input. */
    CsvRow next() throws IOException {
        for (;;) {
            if (pos == limit && !more()) {
                return null;
            }
            char c = buf[pos];
            if (c == '\n') {
                pos++;
                line++;
            } else if (c == '\r') {
                pos++;
                line++;
                skipLineFeed();
            } else {
                break;
            }
        }
        long startLine = line;
        count = 0;
        for (;;) {
            if ((pos < limit || more()) && buf[pos] == quote) {
                quotedField();
            } else {
                simpleField();
            }
            if (pos == limit && !more()) {
                break;
            }
            char c = buf[pos++];
            if (c == delimiter) {
                continue;
            }
            line++;
            if (c == '\r') {
                skipLineFeed();
            }
            break;
        }
        return new CsvRow(startLine, Arrays.copyOf(fields, count));
    }

    /** Reads up to the next delimiter or line end, which is left unread. */
    private void simpleField() throws IOException {
        int start = pos;
        for (;;) {
            char[] b = buf;
            int p = pos;
            int end = limit;
            char d = delimiter;
            while (p < end) {
                char c = b[p];
                if (c == d || c == '\n' || c == '\r') {
                    break;
                }
                p++;
            }
            pos = p;
            if (p < end) {
                add(new String(b, start, p - start));
                return;
            }
            start -= Math.max(fill(start), 0);
            if (pos == limit) {
                add(new String(buf, start, pos - start));
                return;
            }
        }
    }

    /** Reads a quoted field, undoubling quotes in place; what follows the closing quote must end the field. */
    private void quotedField() throws IOException {
        long tokenLine = line;
        pos++;
        int start = pos;
        int w = pos;
        boolean afterCr = false;
        for (;;) {
            // two characters ahead, to tell a doubled quote from a closing one; a read may bring only one
            while (pos + 1 >= limit) {
                int shift = fill(start);
                if (shift < 0) {
                    break;
                }
                start -= shift;
                w -= shift;
            }
            if (pos == limit) {
                throw new IOException("(startline " + tokenLine + ") EOF reached before encapsulated token finished");
            }
            char c = buf[pos];
            if (c == quote) {
                if (pos + 1 < limit && buf[pos + 1] == quote) {
                    buf[w++] = quote;
                    pos += 2;
                    afterCr = false;
                    continue;
                }
                pos++;
                add(new String(buf, start, w - start));
                // as commons-csv: whitespace may follow the closing quote, anything else but a delimiter or a line
                // end is an error
                for (; pos < limit || more(); pos++) {
                    char next = buf[pos];
                    if (next == delimiter || next == '\n' || next == '\r') {
                        break;
                    }
                    if (!Character.isWhitespace(next)) {
                        throw new IOException("(line " + line
                                + ") invalid char between encapsulated token and delimiter");
                    }
                }
                return;
            }
            if (c == '\r' || (c == '\n' && !afterCr)) {
                line++;
            }
            afterCr = c == '\r';
            buf[w++] = c;
            pos++;
        }
    }

    private void skipLineFeed() throws IOException {
        if ((pos < limit || more()) && buf[pos] == '\n') {
            pos++;
        }
    }

    private void add(String value) {
        if (count == fields.length) {
            fields = Arrays.copyOf(fields, count * 2);
        }
        fields[count++] = value;
    }

    /** Reads more input when all was consumed; false at the end of the input. */
    private boolean more() throws IOException {
        fill(pos);
        return pos < limit;
    }

    /**
     * Reads more input after {@code limit}, keeping {@code buf[mark..limit)} and moving it to the front. Returns how
     * far indices moved (subtract it from any index kept), or -1 when the end of the input was reached before and
     * nothing moved. At the end of the input {@code pos == limit} afterwards if all was consumed.
     */
    private int fill(int mark) throws IOException {
        if (eof) {
            return -1;
        }
        int keep = limit - mark;
        if (keep >= buf.length / 2) {
            if (keep >= MAX_FIELD_CHARS) {
                throw new IOException("(line " + line + ") a field is longer than " + MAX_FIELD_CHARS
                        + " characters; is a quote left open?");
            }
            char[] bigger = new char[buf.length * 2];
            System.arraycopy(buf, mark, bigger, 0, keep);
            buf = bigger;
        } else if (mark > 0) {
            System.arraycopy(buf, mark, buf, 0, keep);
        }
        pos -= mark;
        limit = keep;
        int n;
        do {
            n = in.read(buf, limit, buf.length - limit);
        } while (n == 0);
        if (n < 0) {
            eof = true;
        } else {
            limit += n;
        }
        return mark;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
