package convert;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A batch of CSV records as UTF-8 bytes: the fields are slices of one byte array, so that a record reaches Parquet
 * without a {@code String} per value. A quoted field holding doubled quotes is kept as written between its quotes and
 * undoubled only when it is read ({@link #copy}). Batches are filled on the reader thread, read on the converting one
 * and then handed back to be filled again ({@link CsvBatches#release}).
 */
final class CsvBatch {

    /**
     * How many bytes of input a batch holds before it is handed on: small enough that the records are still in the
     * core's cache when they are converted right after being split.
     */
    static final int TARGET_BYTES = 64 * 1024;

    private final byte quote;
    /** The size {@link #bytes} starts with, and goes back to after a record too long for it has passed. */
    final int capacity;
    byte[] bytes;
    /** Per field: where its value starts in {@link #bytes}, as {@code -start - 1} when it holds doubled quotes. */
    private int[] starts = new int[1024];
    private int[] ends = new int[1024];
    /** Per record: its first field; {@code firstField[records]} is the number of fields. */
    private int[] firstField = new int[257];
    private long[] lines = new long[256];
    private boolean[] accepted = new boolean[256];
    private int records;
    private int fields;
    /** Bytes used from the start of {@link #bytes} (the values added by {@link #add}). */
    private int used;

    CsvBatch(byte quote, int capacity) {
        this.quote = quote;
        this.capacity = capacity;
        this.bytes = new byte[capacity];
    }

    /** Empties the batch; a buffer grown for a long record goes back to its size. */
    void clear() {
        records = 0;
        fields = 0;
        used = 0;
        if (bytes.length > 2 * capacity) {
            bytes = new byte[capacity];
        }
    }

    int records() {
        return records;
    }

    /** The physical line (1-based) on which the record starts. */
    long line(int record) {
        return lines[record];
    }

    int fieldCount(int record) {
        return firstField[record + 1] - firstField[record];
    }

    /** The index of field {@code column} of {@code record}, for {@link #start}, {@link #end} and {@link #escaped}. */
    int field(int record, int column) {
        return firstField[record] + column;
    }

    int start(int field) {
        int s = starts[field];
        return s >= 0 ? s : -s - 1;
    }

    int end(int field) {
        return ends[field];
    }

    /** Whether the value holds doubled quotes, which {@link #copy} undoubles. */
    boolean escaped(int field) {
        return starts[field] < 0;
    }

    /** Copies the value of {@code field}, quotes undoubled, to the start of {@code to}; returns its length. */
    int copy(int field, byte[] to) {
        int s = start(field);
        int e = ends[field];
        if (!escaped(field)) {
            System.arraycopy(bytes, s, to, 0, e - s);
            return e - s;
        }
        int n = 0;
        for (int i = s; i < e; i++) {
            byte b = bytes[i];
            to[n++] = b;
            if (b == quote) {
                i++;
            }
        }
        return n;
    }

    String text(int field) {
        if (!escaped(field)) {
            int s = start(field);
            return new String(bytes, s, ends[field] - s, StandardCharsets.UTF_8);
        }
        byte[] value = new byte[ends[field] - start(field)];
        return new String(value, 0, copy(field, value), StandardCharsets.UTF_8);
    }

    /** The record's values as text, for a header, a message or the rejects file. */
    String[] values(int record) {
        String[] values = new String[fieldCount(record)];
        for (int c = 0; c < values.length; c++) {
            values[c] = text(firstField[record] + c);
        }
        return values;
    }

    /** Marks whether the record was converted without a problem, to be written. */
    void accept(int record, boolean ok) {
        if (record >= accepted.length) {
            accepted = Arrays.copyOf(accepted, Math.max(record + 1, accepted.length * 2));
        }
        accepted[record] = ok;
    }

    boolean accepted(int record) {
        return accepted[record];
    }

    // filling, by a tokenizer over bytes[] or by add()

    void addField(int start, int end, boolean escaped) {
        if (fields == starts.length) {
            starts = Arrays.copyOf(starts, fields * 2);
            ends = Arrays.copyOf(ends, fields * 2);
        }
        starts[fields] = escaped ? -start - 1 : start;
        ends[fields++] = end;
    }

    /** Ends the record of the fields added since the last one ended. */
    void endRecord(long line) {
        if (records + 2 > firstField.length) {
            firstField = Arrays.copyOf(firstField, firstField.length * 2);
        }
        if (records == lines.length) {
            lines = Arrays.copyOf(lines, lines.length * 2);
        }
        lines[records] = line;
        firstField[++records] = fields;
    }

    /** Drops the fields added since the last record ended. */
    void dropOpenRecord() {
        fields = firstField[records];
    }

    /** Adds a record of text values (from a parser that yields strings), each encoded as UTF-8. */
    void add(long line, String[] values) {
        for (String value : values) {
            byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
            if (used + utf8.length > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, used + utf8.length));
            }
            System.arraycopy(utf8, 0, bytes, used, utf8.length);
            addField(used, used + utf8.length, false);
            used += utf8.length;
        }
        endRecord(line);
    }

    /** Bytes of input the batch's records took: the values added by {@link #add}, or as the tokenizer said. */
    int bytesUsed() {
        return used;
    }

    /** The byte tokenizer's records took the first {@code length} bytes of {@link #bytes} (the progress counts them). */
    void inputBytes(int length) {
        used = length;
    }
}
