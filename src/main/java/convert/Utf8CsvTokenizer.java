package convert;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

import core.BadInputException;
import config.ConvertConfig.Limits;

/**
 * Splits UTF-8 CSV into records without decoding it, as commons-csv's {@code CSVFormat.DEFAULT} with the convert
 * stage's delimiter and quote does: quoted fields may hold delimiters, doubled quotes and line breaks; CRLF, LF and a
 * lone CR end a line; empty lines are skipped; a quote inside an unquoted field is kept as written; whitespace after
 * a closing quote is skipped. Delimiter, quote and line breaks are ASCII, which no byte of a multi-byte UTF-8
 * character can be mistaken for. Every other non-ASCII byte is checked to be well-formed UTF-8 on the way, so that a
 * bad byte fails the run naming its line. A leading byte order mark is dropped.
 * <p>
 * Each {@link #fill} reads a buffer's worth of input into a {@link CsvBatch} and records the fields as slices of it;
 * a record cut by the end of the buffer is carried over, whole, to the next batch. A record beyond the {@link Limits}
 * fails the run naming its line before its buffer grows any further ({@link RecordLimits} words the messages).
 */
final class Utf8CsvTokenizer implements Closeable {

    private static final int INCOMPLETE = -1;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;
    private static final int END = -2;

    private final InputStream in;
    private final byte delimiter;
    private final byte quote;
    private final long delimiters;
    private final Limits limits;
    private byte[] carried = new byte[0];
    private int carriedLength;
    private boolean eof;
    private boolean started;
    private boolean finished;
    private long line = 1;
    /** The line on which the record being split starts. */
    private long recordLine = 1;

    /** {@code delimiter} and {@code quote} must be ASCII. */
    Utf8CsvTokenizer(InputStream in, char delimiter, char quote, Limits limits) {
        if (delimiter > 127 || quote > 127) {
            throw new IllegalArgumentException("the delimiter and the quote must be ASCII characters");
        }
        this.in = in;
        this.delimiter = (byte) delimiter;
        this.quote = (byte) quote;
        this.delimiters = ONES * delimiter;
        this.limits = limits;
    }

    /**
     * Clears {@code batch} and fills it with the next records: as many as the batch's buffer holds, at least one.
     * Returns false, with the batch empty, at the end of the input.
     */
    boolean fill(CsvBatch batch) throws IOException {
        batch.clear();
        if (finished) {
            return false;
        }
        if (!started) {
            started = true;
            skipByteOrderMark();
        }
        byte[] buf = batch.bytes;
        if (buf.length < carriedLength * 2) {
            // room for the record carried over and as much again
            buf = new byte[carriedLength * 2];
            batch.bytes = buf;
        }
        System.arraycopy(carried, 0, buf, 0, carriedLength);
        int limit = read(buf, carriedLength);
        carriedLength = 0;
        int pos = 0;
        for (;;) {
            int next = record(batch, buf, pos, limit);
            if (next == END) {
                finished = true;
                batch.inputBytes(limit);
                break;
            }
            if (next >= 0) {
                pos = next;
                continue;
            }
            batch.dropOpenRecord();
            if (batch.records() > 0) {
                batch.inputBytes(pos);
                carry(buf, pos, limit);
                break;
            }
            // one record longer than the buffer: a bigger buffer, and read on
            int keep = limit - pos;
            if (keep > limits.maxRecordBytes()) {
                throw RecordLimits.recordTooLong(recordLine, limits);
            }
            byte[] bigger = new byte[Math.min(Math.max(buf.length, keep) * 2, limits.maxRecordBytes() + 2)];
            System.arraycopy(buf, pos, bigger, 0, keep);
            buf = bigger;
            batch.bytes = buf;
            pos = 0;
            limit = read(buf, keep);
        }
        return batch.records() > 0;
    }

    /**
     * Adds the record starting at {@code p} (after any blank lines) to the batch. Returns where the next one starts,
     * {@link #INCOMPLETE} when the buffer ends before the record does, or {@link #END} when no record is left.
     */
    private int record(CsvBatch batch, byte[] buf, int p, int limit) throws IOException {
        long l = line;
        for (;;) {
            if (p == limit) {
                return eof ? END : INCOMPLETE;
            }
            byte b = buf[p];
            if (b == '\n') {
                p++;
                l++;
            } else if (b == '\r') {
                if (p + 1 == limit && !eof) {
                    return INCOMPLETE;
                }
                p++;
                l++;
                if (p < limit && buf[p] == '\n') {
                    p++;
                }
            } else {
                break;
            }
        }
        long startLine = l;
        recordLine = startLine;
        int recordStart = p;
        int recordEnd;
        int fields = 0;
        for (;;) {
            if (++fields > limits.maxFieldsPerRecord()) {
                throw RecordLimits.tooManyFields(startLine, limits);
            }
            if (p < limit && buf[p] == quote) {
                long tokenLine = l;
                int start = ++p;
                boolean escaped = false;
                boolean afterCr = false;
                for (;;) {
                    if (p == limit) {
                        if (p - start > limits.maxFieldBytes()) {
                            throw RecordLimits.quotedFieldTooLong(tokenLine, limits);
                        }
                        if (!eof) {
                            return INCOMPLETE;
                        }
                        throw RecordLimits.unterminatedQuote(tokenLine);
                    }
                    byte b = buf[p];
                    if (b == quote) {
                        if (p + 1 == limit && !eof) {
                            return INCOMPLETE;
                        }
                        if (p + 1 < limit && buf[p + 1] == quote) {
                            escaped = true;
                            afterCr = false;
                            p += 2;
                            continue;
                        }
                        break;
                    }
                    if (b < 0) {
                        int n = utf8(buf, p, limit, l);
                        if (n == 0) {
                            return INCOMPLETE;
                        }
                        p += n;
                        afterCr = false;
                        continue;
                    }
                    if (b == '\r' || (b == '\n' && !afterCr)) {
                        l++;
                    }
                    afterCr = b == '\r';
                    p++;
                }
                if (p - start > limits.maxFieldBytes()) {
                    throw RecordLimits.quotedFieldTooLong(tokenLine, limits);
                }
                batch.addField(start, p++, escaped);
                // as commons-csv: whitespace may follow the closing quote, anything else but a delimiter or a line
                // end is an error
                for (;;) {
                    if (p == limit) {
                        if (!eof) {
                            return INCOMPLETE;
                        }
                        break;
                    }
                    byte b = buf[p];
                    if (b == delimiter || b == '\n' || b == '\r') {
                        break;
                    }
                    int n = b >= 0 ? 1 : utf8(buf, p, limit, l);
                    if (n == 0) {
                        return INCOMPLETE;
                    }
                    if (!Character.isWhitespace(codePoint(buf, p, n))) {
                        throw new IOException("(line " + l + ") invalid char between encapsulated token and delimiter");
                    }
                    p += n;
                }
            } else {
                int start = p;
                while (p < limit) {
                    if (p + Long.BYTES <= limit) {
                        long special = special((long) LONGS.get(buf, p));
                        if (special == 0) {
                            p += Long.BYTES;
                            continue;
                        }
                        p += firstFlaggedByte(special);
                    }
                    byte b = buf[p];
                    if (b == delimiter || b == '\n' || b == '\r') {
                        break;
                    }
                    if (b >= 0) {
                        p++;
                    } else {
                        int n = utf8(buf, p, limit, l);
                        if (n == 0) {
                            return INCOMPLETE;
                        }
                        p += n;
                    }
                }
                if (p - start > limits.maxFieldBytes()) {
                    throw RecordLimits.fieldTooLong(startLine, limits);
                }
                if (p == limit && !eof) {
                    return INCOMPLETE;
                }
                batch.addField(start, p, false);
            }
            recordEnd = p;
            if (p == limit) {
                break;
            }
            byte b = buf[p++];
            if (b == delimiter) {
                continue;
            }
            l++;
            if (b == '\r') {
                if (p == limit && !eof) {
                    return INCOMPLETE;
                }
                if (p < limit && buf[p] == '\n') {
                    p++;
                }
            }
            break;
        }
        if (recordEnd - recordStart > limits.maxRecordBytes()) {
            throw RecordLimits.recordTooLong(startLine, limits);
        }
        batch.endRecord(startLine);
        line = l;
        return p;
    }

    /**
     * The index of the lowest byte flagged in {@code flags} (high bits only): the lowest bit, at 8k + 7, shifted to
     * 8k, multiplies a constant whose byte 7 - k holds k into the top byte. C1 compiles Long.numberOfTrailingZeros as
     * a call with five branches; this is a multiply and three shifts, a few percent of the one-shot's convert.
     */
    static int firstFlaggedByte(long flags) {
        long lowest = flags & -flags;
        return (int) (((lowest >>> 7) * 0x0001020304050607L) >>> 56);
    }

    /**
     * Eight bytes (little-endian) at once: the high bit of each byte that is the delimiter, a line break or not ASCII
     * is set, so the lowest set bit is the first byte an unquoted field ends or needs a closer look at. The lowest
     * zero byte of {@code v} is the lowest flagged by {@code (v - ONES) & ~v}: a borrow only reaches bytes above it.
     */
    private long special(long eight) {
        long d = eight ^ delimiters;
        long n = eight ^ (ONES * '\n');
        long r = eight ^ (ONES * '\r');
        return ((d - ONES) & ~d | (n - ONES) & ~n | (r - ONES) & ~r | eight) & HIGH_BITS;
    }

    /**
     * The length of the well-formed UTF-8 character at {@code p}, or 0 when the buffer ends inside it and more input
     * follows. Malformed input (the rules of Java's decoder: no overlong forms, surrogates or code points above
     * U+10FFFF) fails the run.
     */
    private int utf8(byte[] buf, int p, int limit, long l) {
        int lead = buf[p] & 0xFF;
        int length;
        int min = 0x80;
        int max = 0xBF;
        if (lead >= 0xC2 && lead <= 0xDF) {
            length = 2;
        } else if (lead >= 0xE0 && lead <= 0xEF) {
            length = 3;
            if (lead == 0xE0) {
                min = 0xA0;
            } else if (lead == 0xED) {
                max = 0x9F;
            }
        } else if (lead >= 0xF0 && lead <= 0xF4) {
            length = 4;
            if (lead == 0xF0) {
                min = 0x90;
            } else if (lead == 0xF4) {
                max = 0x8F;
            }
        } else {
            throw malformed(1, l);
        }
        for (int i = 1; i < length; i++) {
            if (p + i == limit) {
                if (eof) {
                    throw malformed(i, l);
                }
                return 0;
            }
            int b = buf[p + i] & 0xFF;
            if (b < (i == 1 ? min : 0x80) || b > (i == 1 ? max : 0xBF)) {
                throw malformed(i, l);
            }
        }
        return length;
    }

    private static int codePoint(byte[] buf, int p, int n) {
        int cp = n == 1 ? buf[p] : buf[p] & (0xFF >> (n + 1));
        for (int i = 1; i < n; i++) {
            cp = cp << 6 | buf[p + i] & 0x3F;
        }
        return cp;
    }

    private static BadInputException malformed(int bytes, long l) {
        return new BadInputException(String.format("the input is not valid UTF-8: malformed input of %d byte(s) on line"
                + " %d", bytes, l));
    }

    /** Reads the first three bytes, and keeps them for the first batch unless they are a UTF-8 byte order mark. */
    private void skipByteOrderMark() throws IOException {
        carried = new byte[1024];
        carriedLength = read(carried, 0, 3);
        if (carriedLength == 3 && (carried[0] & 0xFF) == 0xEF && (carried[1] & 0xFF) == 0xBB
                && (carried[2] & 0xFF) == 0xBF) {
            carriedLength = 0;
        }
    }

    /** Reads into {@code buf} after {@code limit} until it is full or the input ends; returns the new limit. */
    private int read(byte[] buf, int limit) throws IOException {
        return read(buf, limit, buf.length);
    }

    private int read(byte[] buf, int limit, int end) throws IOException {
        while (!eof && limit < end) {
            int n = in.read(buf, limit, end - limit);
            if (n < 0) {
                eof = true;
            } else {
                limit += n;
            }
        }
        return limit;
    }

    private void carry(byte[] buf, int from, int limit) {
        carriedLength = limit - from;
        if (carried.length < carriedLength) {
            carried = new byte[Math.max(carriedLength, 1024)];
        }
        System.arraycopy(buf, from, carried, 0, carriedLength);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
