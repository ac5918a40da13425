package convert;

import java.io.IOException;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;

import core.BadInputException;

/**
 * Decodes bytes strictly, in large chunks, dropping a leading byte order mark; counts '\n' as it goes, so that
 * malformed or unmappable input fails as a {@link BadInputException} naming the charset and the line.
 */
final class StrictReader extends Reader {

    private static final int BUFFER_SIZE = 64 * 1024;

    private final ReadableByteChannel in;
    private final Charset charset;
    private final CharsetDecoder decoder;
    private final ByteBuffer bytes = ByteBuffer.allocate(BUFFER_SIZE);
    private final CharBuffer chars = CharBuffer.allocate(BUFFER_SIZE);
    private long newlines;
    private boolean endOfInput;
    private boolean finished;
    private boolean first = true;

    StrictReader(ReadableByteChannel in, Charset charset) {
        this.in = in;
        this.charset = charset;
        this.decoder = charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        bytes.flip();
        chars.flip();
    }

    @Override
    public int read(char[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        while (!chars.hasRemaining()) {
            if (finished) {
                return -1;
            }
            fill();
        }
        int n = Math.min(length, chars.remaining());
        chars.get(buffer, offset, n);
        return n;
    }

    private void fill() throws IOException {
        chars.clear();
        if (!endOfInput) {
            bytes.compact();
            if (in.read(bytes) < 0) {
                endOfInput = true;
            }
            bytes.flip();
        }
        CoderResult result = decoder.decode(bytes, chars, endOfInput);
        if (endOfInput && result.isUnderflow()) {
            result = decoder.flush(chars);
            finished = result.isUnderflow();
        }
        chars.flip();
        countNewlines();
        if (result.isError()) {
            throw new BadInputException(String.format("the input is not valid %s: %s of %d byte(s) on line %d",
                    charset.name(), result.isMalformed() ? "malformed input" : "unmappable character",
                    result.length(), newlines + 1));
        }
        if (first && chars.hasRemaining()) {
            first = false;
            if (chars.get(chars.position()) == '\uFEFF') {
                chars.get();
            }
        }
    }

    private void countNewlines() {
        char[] array = chars.array();
        for (int i = chars.position(), end = chars.limit(); i < end; i++) {
            if (array[i] == '\n') {
                newlines++;
            }
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
