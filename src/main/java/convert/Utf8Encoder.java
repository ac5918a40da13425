package convert;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** The text of a reader as UTF-8 bytes, encoded a buffer at a time. */
final class Utf8Encoder extends InputStream {

    private static final int BUFFER_SIZE = 64 * 1024;

    private final Reader in;
    private final CharsetEncoder encoder = StandardCharsets.UTF_8.newEncoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private final CharBuffer chars = CharBuffer.allocate(BUFFER_SIZE);
    private final ByteBuffer bytes = ByteBuffer.allocate(BUFFER_SIZE * 3);
    private boolean endOfInput;
    private boolean finished;

    Utf8Encoder(Reader in) {
        this.in = in;
        chars.flip();
        bytes.flip();
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        while (!bytes.hasRemaining()) {
            if (finished) {
                return -1;
            }
            fill();
        }
        int n = Math.min(length, bytes.remaining());
        bytes.get(buffer, offset, n);
        return n;
    }

    private void fill() throws IOException {
        if (!endOfInput) {
            chars.compact();
            int read = in.read(chars.array(), chars.position(), chars.remaining());
            if (read < 0) {
                endOfInput = true;
            } else {
                chars.position(chars.position() + read);
            }
            chars.flip();
        }
        bytes.clear();
        CoderResult result = encoder.encode(chars, bytes, endOfInput);
        if (endOfInput && result.isUnderflow()) {
            finished = encoder.flush(bytes).isUnderflow();
        }
        bytes.flip();
        if (result.isError()) {
            // an unpaired surrogate: not text any CSV reader handed us
            result.throwException();
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
