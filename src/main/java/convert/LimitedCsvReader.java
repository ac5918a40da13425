package convert;

import java.io.IOException;
import java.io.Reader;

import config.ConvertConfig.Limits;

/**
 * The CSV text on its way to camel-csv, followed just closely enough to hold each record to the {@link Limits} before
 * commons-csv buffers it: fields, quotes (at the start of a field, doubled inside) and line ends, as commons-csv reads
 * them; sizes are counted as UTF-8 bytes. A quoted field still open at the end of the input fails naming the line it
 * started on.
 */
final class LimitedCsvReader extends Reader {

    private enum State { FIELD_START, UNQUOTED, QUOTED, QUOTE_IN_QUOTED, AFTER_QUOTE }

    private final Reader in;
    private final char delimiter;
    private final char quote;
    private final Limits limits;
    private State state = State.FIELD_START;
    private boolean inRecord;
    private boolean afterCr;
    private long line = 1;
    private long recordLine;
    private long quoteLine;
    private int fields;
    private long fieldBytes;
    private long recordBytes;

    LimitedCsvReader(Reader in, char delimiter, char quote, Limits limits) {
        this.in = in;
        this.delimiter = delimiter;
        this.quote = quote;
        this.limits = limits;
    }

    @Override
    public int read(char[] buffer, int offset, int length) throws IOException {
        int n = in.read(buffer, offset, length);
        if (n < 0) {
            if (state == State.QUOTED) {
                throw RecordLimits.unterminatedQuote(quoteLine);
            }
            return n;
        }
        for (int i = offset, end = offset + n; i < end; i++) {
            follow(buffer[i]);
        }
        return n;
    }

    private void follow(char c) {
        boolean lineBreak = c == '\r' || (c == '\n' && !afterCr);
        afterCr = c == '\r';
        // sizes as written: a field between its quotes, doubled quotes counted twice; a record without its line end
        int bytes = c < 0x80 ? 1 : c < 0x800 || Character.isSurrogate(c) ? 2 : 3;
        if (state == State.QUOTED) {
            recordBytes += bytes;
            if (c == quote) {
                state = State.QUOTE_IN_QUOTED;
            } else {
                fieldBytes += bytes;
            }
        } else if (state == State.QUOTE_IN_QUOTED && c == quote) {
            state = State.QUOTED;
            recordBytes++;
            fieldBytes += 2;
        } else if (c == '\r' || c == '\n') {
            // the end of a record, or one more line break (blank lines are skipped)
            inRecord = false;
            state = State.FIELD_START;
        } else {
            if (!inRecord) {
                inRecord = true;
                recordLine = line;
                fields = 1;
                recordBytes = 0;
                fieldBytes = 0;
            }
            recordBytes += bytes;
            if (c == delimiter) {
                if (++fields > limits.maxFieldsPerRecord()) {
                    throw RecordLimits.tooManyFields(recordLine, limits);
                }
                state = State.FIELD_START;
                fieldBytes = 0;
            } else if (c == quote && state == State.FIELD_START) {
                state = State.QUOTED;
                quoteLine = line;
            } else if (state == State.QUOTE_IN_QUOTED || state == State.AFTER_QUOTE) {
                state = State.AFTER_QUOTE;
            } else {
                state = State.UNQUOTED;
                fieldBytes += bytes;
            }
        }
        if (fieldBytes > limits.maxFieldBytes()) {
            throw state == State.QUOTED || state == State.QUOTE_IN_QUOTED
                    ? RecordLimits.quotedFieldTooLong(quoteLine, limits)
                    : RecordLimits.fieldTooLong(recordLine, limits);
        }
        if (recordBytes > limits.maxRecordBytes()) {
            throw RecordLimits.recordTooLong(recordLine, limits);
        }
        if (lineBreak) {
            line++;
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
