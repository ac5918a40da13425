package convert;

import java.util.Arrays;

import org.apache.parquet.io.api.Binary;

/**
 * The values of a column of few distinct strings, one constant {@link Binary} each, so that the column's dictionary
 * knows a value by its instance ({@link PlainValuesWriters.KnownInstances}) instead of hashing and comparing its bytes
 * through a {@code Binary} made for it (a cold conversion's CPU: 3.1-3.5 s -> 2.6-2.9 s). Once a column shows more than
 * {@link #MAX} distinct values it is taken for a column of many (names, ids as text), and {@link #find} answers null
 * from then on: each value then goes to Parquet as read. One per encoder, so per thread.
 */
final class DistinctValues {

    /** At most this many values are kept; also how many the dictionary looks up by instance. */
    static final int MAX = 64;
    private static final int SLOTS = 128;

    private final byte[][] keys = new byte[SLOTS][];
    private final Binary[] values = new Binary[SLOTS];
    private int count;
    private boolean many;

    /** The constant Binary of these bytes, or null when the column has too many distinct values. */
    Binary find(byte[] bytes, int offset, int length) {
        if (many) {
            return null;
        }
        // a hash of the length and three bytes: enough to tell a few values apart, and cheap in a one-shot's JIT
        int hash = length == 0 ? 0 : length * 31 + bytes[offset] * 17 + bytes[offset + length - 1] * 7
                + bytes[offset + (length >> 1)];
        for (int slot = hash & (SLOTS - 1); ; slot = (slot + 1) & (SLOTS - 1)) {
            byte[] key = keys[slot];
            if (key == null) {
                return add(slot, bytes, offset, length);
            }
            if (key.length == length && Arrays.equals(key, 0, length, bytes, offset, offset + length)) {
                return values[slot];
            }
        }
    }

    private Binary add(int slot, byte[] bytes, int offset, int length) {
        if (count == MAX) {
            many = true;
            Arrays.fill(keys, null);
            Arrays.fill(values, null);
            return null;
        }
        count++;
        byte[] key = Arrays.copyOfRange(bytes, offset, offset + length);
        keys[slot] = key;
        values[slot] = Binary.fromConstantByteArray(key);
        return values[slot];
    }
}
