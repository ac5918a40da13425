package convert;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import core.BadInputException;

/** Opens a CSV file for reading: a leading byte order mark is dropped and undecodable bytes fail the run. */
public final class CsvInput {

    private static final int BUFFER_SIZE = 64 * 1024;

    private CsvInput() {
    }

    /**
     * A buffered reader over {@code file} that decodes strictly: malformed or unmappable input throws a
     * {@link BadInputException} naming the charset and the line where it happened. The route must not stream-cache
     * this body ({@code noStreamCaching()}): caching would read the whole file into memory before it is parsed.
     * A failure to read the file surfaces as a {@link ReadFailure}, told apart from a CSV that cannot be parsed.
     */
    public static Reader open(Path file, Charset charset) {
        try {
            return new StrictReader(new NamedReads(Files.newInputStream(file), file), charset);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The CSV of a body as UTF-8 bytes: for a UTF-8 file {@link #open}ed and not yet read, the file's own bytes
     * (checked by the byte tokenizer as it goes); for any other reader, its text encoded as UTF-8.
     */
    static InputStream utf8(Reader body) {
        if (body instanceof StrictReader strict && strict.charset.equals(StandardCharsets.UTF_8) && !strict.filled) {
            return strict.in;
        }
        return new Utf8Encoder(body);
    }

    /** The file could not be read (an I/O error of the file system, not of the CSV in it): worth another try. */
    public static final class ReadFailure extends IOException {

        ReadFailure(Path file, IOException cause) {
            super("cannot read " + file + ": " + cause.getMessage(), cause);
        }

        /** The same failure, thrown again on the thread that reads the records (it may have happened on another). */
        ReadFailure(ReadFailure failure) {
            super(failure.getMessage(), failure);
        }
    }

    /** The file's bytes, each failure to read them a {@link ReadFailure} naming the file. */
    private static final class NamedReads extends FilterInputStream {

        private final Path file;

        NamedReads(InputStream in, Path file) {
            super(in);
            this.file = file;
        }

        @Override
        public int read() throws IOException {
            try {
                return in.read();
            } catch (IOException e) {
                throw new ReadFailure(file, e);
            }
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            try {
                return in.read(buffer, offset, length);
            } catch (IOException e) {
                throw new ReadFailure(file, e);
            }
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
        private boolean filled;

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
            filled = true;
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
    /** The text of a reader as UTF-8 bytes, encoded a buffer at a time. */
    private static final class Utf8Encoder extends InputStream {

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
}
