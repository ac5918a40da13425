package convert;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.file.Files;
import java.nio.file.Path;

import app.BadInputException;

/** Opens a CSV file for reading: a leading byte order mark is dropped and undecodable bytes fail the run. */
public final class CsvInput {

    private static final int BUFFER_SIZE = 64 * 1024;

    private CsvInput() {
    }

    /**
     * A buffered reader over {@code file} that decodes strictly: malformed or unmappable input throws a
     * {@link BadInputException} naming the charset and the line where it happened. The route must not stream-cache
     * this body ({@code noStreamCaching()}): caching would read the whole file into memory before it is parsed.
     */
    public static Reader open(Path file, Charset charset) {
        try {
            return new StrictReader(Files.newInputStream(file), charset);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + file + ": " + e.getMessage(), e);
        }
    }

    /** Decodes in large chunks and counts '\n' as it goes, so an error can say on which line it is. */
    private static final class StrictReader extends Reader {

        private final InputStream in;
        private final Charset charset;
        private final CharsetDecoder decoder;
        private final ByteBuffer bytes = ByteBuffer.allocate(BUFFER_SIZE);
        private final CharBuffer chars = CharBuffer.allocate(BUFFER_SIZE);
        private long newlines;
        private boolean endOfInput;
        private boolean finished;
        private boolean first = true;

        StrictReader(InputStream in, Charset charset) {
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
                int read = in.read(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining());
                if (read < 0) {
                    endOfInput = true;
                } else {
                    bytes.position(bytes.position() + read);
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
}
