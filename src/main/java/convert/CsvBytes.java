package convert;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import core.BadInputException;

/**
 * The convert stage's CSV as the message body: the bytes of the file, read once from its start, with its charset and
 * its name. A file compressed with gzip, zstd or bzip2 is told by its first bytes, whatever its name, and decompressed
 * here as it is read, never to disk: every reader of the CSV (both parsers, the schema inference) reads it through this
 * class. The CSV may be at most {@code pipeline.convert.maxInputBytes} long, decompressed: a decompression bomb fails
 * the run naming that limit. Each parser takes the form it reads: the fast one {@link #utf8} bytes, commons-csv
 * {@link #text}. Every failure to read the file is a {@link ReadFailure} naming it, told apart from a CSV that cannot be
 * parsed and from compressed data that is damaged (a {@link BadInputException}). The route must not stream-cache this
 * body ({@code noStreamCaching()}): caching would read the whole file into memory.
 * <p>
 * A channel, not an {@code InputStream}: Camel's unmarshal closes an {@code InputStream} body as soon as the data
 * format returns, and the batches are read after that.
 */
public final class CsvBytes implements ReadableByteChannel {

    /** How a file's bytes are compressed, told by its first bytes (its magic number), never by its name. */
    public enum Compression {
        NONE, GZIP, ZSTD, BZIP2;

        /** The most first bytes {@link #of} looks at. */
        static final int HEAD = 10;
        private static final byte[] BZIP2_BLOCK = {0x31, 0x41, 0x59, 0x26, 0x53, 0x59};
        private static final byte[] BZIP2_END = {0x17, 0x72, 0x45, 0x38, 0x50, (byte) 0x90};

        /** The compression of a file that begins with the {@code n} bytes of {@code head}. */
        static Compression of(byte[] head, int n) {
            if (n >= 3 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b && head[2] == 8) {
                return GZIP;
            }
            if (n >= 4 && (head[0] & 0xff) == 0x28 && (head[1] & 0xff) == 0xb5 && (head[2] & 0xff) == 0x2f
                && (head[3] & 0xff) == 0xfd) {
                return ZSTD;
            }
            // "BZh", the block size, then the magic of a block or of the end of the stream
            if (n >= 10 && head[0] == 'B' && head[1] == 'Z' && head[2] == 'h' && head[3] >= '1' && head[3] <= '9'
                && (startsWith(head, 4, BZIP2_BLOCK) || startsWith(head, 4, BZIP2_END))) {
                return BZIP2;
            }
            return NONE;
        }

        private static boolean startsWith(byte[] bytes, int from, byte[] prefix) {
            for (int i = 0; i < prefix.length; i++) {
                if (bytes[from + i] != prefix[i]) {
                    return false;
                }
            }
            return true;
        }

        /** As a message says it: {@code gzip}, {@code zstd}, {@code bzip2}. */
        public String describe() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final SeekableByteChannel file;
    /** The decompressed bytes of a compressed file; null for a plain one, read from {@link #file} itself. */
    private final InputStream inflated;
    private final StoredBytes stored;
    private final Path path;
    private final Charset charset;
    private final Compression compression;
    private final long size;
    private final long maxBytes;
    private volatile long bytes;

    private CsvBytes(SeekableByteChannel file, Path path, Charset charset, Compression compression, long size,
                     long maxBytes) throws ReadFailure {
        this.file = file;
        this.path = path;
        this.charset = charset;
        this.compression = compression;
        this.size = size;
        this.maxBytes = maxBytes;
        if (compression == Compression.NONE) {
            this.stored = null;
            this.inflated = null;
        } else {
            this.stored = new StoredBytes(Channels.newInputStream(file), path);
            this.inflated = inflate(compression, stored, path);
        }
    }

    private static InputStream inflate(Compression compression, StoredBytes stored, Path path) throws ReadFailure {
        try {
            return Decompressors.open(compression, stored);
        } catch (ReadFailure e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // its header is damaged, or cut short
            throw damaged(path, compression, e);
        }
    }

    /** Opens {@code file}, whose text is in {@code charset}, to be read from its start; its CSV of any length. */
    public static CsvBytes open(Path file, Charset charset) {
        return open(file, charset, Long.MAX_VALUE);
    }

    /**
     * Opens {@code file}, whose text is in {@code charset}, to be read from its start, decompressed if it is
     * compressed; a CSV of more than {@code maxBytes} bytes fails as it passes them.
     */
    public static CsvBytes open(Path file, Charset charset, long maxBytes) {
        SeekableByteChannel channel;
        try {
            channel = Files.newByteChannel(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + file + ": " + e.getMessage(), e);
        }
        long size = 0;
        Compression compression = Compression.NONE;
        try {
            size = channel.size();
            ByteBuffer head = ByteBuffer.allocate(Compression.HEAD);
            while (head.hasRemaining() && channel.read(head) >= 0) {
                // a few bytes: the read of a regular file returns them at once
            }
            compression = Compression.of(head.array(), head.position());
            channel.position(0);
        } catch (IOException e) {
            // read as it is: its first read fails again, as a ReadFailure naming the file
        }
        try {
            if (compression == Compression.NONE && size > maxBytes) {
                throw tooLarge(file, maxBytes, compression, size);
            }
            return new CsvBytes(channel, file, charset, compression, size, maxBytes);
        } catch (ReadFailure e) {
            close(channel);
            throw new UncheckedIOException(e.getMessage(), e);
        } catch (RuntimeException e) {
            close(channel);
            throw e;
        }
    }

    public Path file() {
        return path;
    }

    public Charset charset() {
        return charset;
    }

    /** How the file is compressed; {@link Compression#NONE} for a plain CSV. */
    public Compression compression() {
        return compression;
    }

    /** The file's size, as stored (compressed, for a compressed file). */
    public long storedSize() {
        return size;
    }

    /** How many bytes of CSV (decompressed, for a compressed file) have been read so far. */
    public long csvBytesRead() {
        return bytes;
    }

    /** How much of the file, as stored, has been read so far. */
    public long storedBytesRead() {
        return stored != null ? stored.count : bytes;
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
        int n;
        if (inflated == null) {
            try {
                n = file.read(target);
            } catch (IOException e) {
                throw new ReadFailure(path, e);
            }
        } else {
            n = readInflated(target);
        }
        if (n > 0) {
            bytes += n;
            if (bytes > maxBytes) {
                throw tooLarge(path, maxBytes, compression, size);
            }
        }
        return n;
    }

    private int readInflated(ByteBuffer target) throws IOException {
        try {
            if (target.hasArray()) {
                int n = inflated.read(target.array(), target.arrayOffset() + target.position(), target.remaining());
                if (n > 0) {
                    target.position(target.position() + n);
                }
                return n;
            }
            byte[] chunk = new byte[Math.min(target.remaining(), 1 << 16)];
            int n = inflated.read(chunk);
            if (n > 0) {
                target.put(chunk, 0, n);
            }
            return n;
        } catch (ReadFailure e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // the file was read; what it holds does not decompress
            throw damaged(path, compression, e);
        }
    }

    static BadInputException damaged(Path path, Compression compression, Exception e) {
        String why = e instanceof java.io.EOFException ? "it ends before its end of stream (cut short?)"
                : e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        return new BadInputException("the " + compression.describe() + " data of " + path + " is damaged: " + why, e);
    }

    private static BadInputException tooLarge(Path path, long maxBytes, Compression compression, long size) {
        return new BadInputException(compression == Compression.NONE
                ? path + " is larger than " + maxBytes + " bytes (pipeline.convert.maxInputBytes)"
                : "the " + compression.describe() + " file " + path + " (" + size + " bytes) decompresses to more than "
                  + maxBytes + " bytes of CSV (pipeline.convert.maxInputBytes)");
    }

    @Override
    public boolean isOpen() {
        return file.isOpen();
    }

    @Override
    public void close() throws IOException {
        try {
            if (inflated != null) {
                inflated.close();
            }
        } finally {
            file.close();
        }
    }

    private static void close(SeekableByteChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // it was being given up on already
        }
    }

    @Override
    public String toString() {
        return "CSV " + path + " (" + charset.name()
               + (compression == Compression.NONE ? "" : ", " + compression.describe()) + ")";
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

    /** The file's bytes on their way to the decompressor: counted, and a failure to read them is a ReadFailure. */
    private static final class StoredBytes extends InputStream {

        private final InputStream in;
        private final Path path;
        private volatile long count;

        StoredBytes(InputStream in, Path path) {
            this.in = in;
            this.path = path;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n;
            try {
                n = in.read(buffer, offset, length);
            } catch (IOException e) {
                throw new ReadFailure(path, e);
            }
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
