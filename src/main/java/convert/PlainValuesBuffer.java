package convert;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;

import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.values.ValuesWriter;
import org.apache.parquet.io.api.Binary;

/**
 * A page's PLAIN-encoded values in one array, the bytes parquet-java's {@code PlainValuesWriter} writes: an int as its
 * four little-endian bytes in one step, a byte array as its length and one copy, instead of a call per byte through a
 * data output stream (a tenth of the convert threads' CPU). The array is reused from page to page: Parquet's page
 * store copies a page's bytes before this writer is {@linkplain #reset reset}.
 */
final class PlainValuesBuffer extends ValuesWriter {

    private final Appender appender = new Appender();
    private byte[] bytes;
    private int size;

    PlainValuesBuffer(int initialSize) {
        this.bytes = new byte[initialSize];
    }

    @Override
    public void writeInteger(int v) {
        int at = room(4);
        bytes[at] = (byte) v;
        bytes[at + 1] = (byte) (v >>> 8);
        bytes[at + 2] = (byte) (v >>> 16);
        bytes[at + 3] = (byte) (v >>> 24);
    }

    @Override
    public void writeLong(long v) {
        writeInteger((int) v);
        writeInteger((int) (v >>> 32));
    }

    @Override
    public void writeFloat(float v) {
        writeInteger(Float.floatToIntBits(v));
    }

    @Override
    public void writeDouble(double v) {
        writeLong(Double.doubleToLongBits(v));
    }

    @Override
    public void writeBytes(Binary v) {
        writeInteger(v.length());
        try {
            // a Binary hands its bytes over only through a stream: this one copies them to the end of the array
            v.writeTo(appender);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Makes room for {@code length} more bytes and returns where they go. */
    private int room(int length) {
        int at = size;
        int end = at + length;
        if (end > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(end, bytes.length * 2));
        }
        size = end;
        return at;
    }

    @Override
    public long getBufferedSize() {
        return size;
    }

    @Override
    public BytesInput getBytes() {
        return BytesInput.from(bytes, 0, size);
    }

    @Override
    public Encoding getEncoding() {
        return Encoding.PLAIN;
    }

    @Override
    public void reset() {
        size = 0;
    }

    @Override
    public void close() {
        size = 0;
        bytes = new byte[0];
    }

    @Override
    public long getAllocatedSize() {
        return bytes.length;
    }

    @Override
    public String memUsageString(String prefix) {
        return prefix + " PLAIN " + size + " bytes in a buffer of " + bytes.length;
    }

    /** Where {@link Binary#writeTo(OutputStream)} puts a value's bytes: the end of the array. */
    private final class Appender extends OutputStream {

        @Override
        public void write(byte[] b, int off, int len) {
            int at = room(len);
            System.arraycopy(b, off, bytes, at, len);
        }

        @Override
        public void write(int b) {
            int at = room(1);
            bytes[at] = (byte) b;
        }
    }
}
