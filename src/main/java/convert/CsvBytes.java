package convert;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import core.BadInputException;

/**
 * The convert stage's CSV as the message body: the bytes of the file, read once from its start, with its charset and
 * its name. Each parser takes the form it reads: the fast one {@link #utf8} bytes, commons-csv {@link #text}. Every
 * failure to read the file is a {@link ReadFailure} naming it, told apart from a CSV that cannot be parsed. The route
 * must not stream-cache this body ({@code noStreamCaching()}): caching would read the whole file into memory.
 * <p>
 * A channel, not an {@code InputStream}: Camel's unmarshal closes an {@code InputStream} body as soon as the data
 * format returns, and the batches are read after that.
 */
public final class CsvBytes implements ReadableByteChannel {

    private final ReadableByteChannel file;
    private final Path path;
    private final Charset charset;

    private CsvBytes(ReadableByteChannel file, Path path, Charset charset) {
        this.file = file;
        this.path = path;
        this.charset = charset;
    }

    /** Opens {@code file}, whose text is in {@code charset}, to be read from its start. */
    public static CsvBytes open(Path file, Charset charset) {
        try {
            return new CsvBytes(Files.newByteChannel(file), file, charset);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + file + ": " + e.getMessage(), e);
        }
    }

    public Path file() {
        return path;
    }

    public Charset charset() {
        return charset;
    }

    /**
     * The CSV as UTF-8 bytes: a UTF-8 file's own bytes, byte order mark and all, for a reader that checks them as it
     * goes ({@link Utf8CsvTokenizer}); the text of a file in any other charset, decoded as {@link #text} does and
     * encoded as UTF-8.
     */
    InputStream utf8() {
        return charset.equals(StandardCharsets.UTF_8) ? Channels.newInputStream(this) : new Utf8Encoder(text());
    }

    /**
     * The CSV as text, without a leading byte order mark, decoded strictly: malformed or unmappable input throws a
     * {@link BadInputException} naming the charset and the line where it happened.
     */
    Reader text() {
        return new StrictReader(this, charset);
    }

    @Override
    public int read(ByteBuffer target) throws IOException {
        try {
            return file.read(target);
        } catch (IOException e) {
            throw new ReadFailure(path, e);
        }
    }

    @Override
    public boolean isOpen() {
        return file.isOpen();
    }

    @Override
    public void close() throws IOException {
        file.close();
    }

    @Override
    public String toString() {
        return "CSV " + path + " (" + charset.name() + ")";
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
}
