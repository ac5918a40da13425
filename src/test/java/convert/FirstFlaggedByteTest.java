package convert;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The tokenizer's first flagged byte of an eight-byte word is the lowest one, for every combination of flags. */
class FirstFlaggedByteTest {

    @Test
    void everyCombinationOfHighBitsGivesItsLowestByte() {
        for (int combination = 1; combination < 256; combination++) {
            long flags = 0;
            for (int b = 0; b < 8; b++) {
                if ((combination & (1 << b)) != 0) {
                    flags |= 0x80L << (8 * b);
                }
            }
            assertEquals(Integer.numberOfTrailingZeros(combination), Utf8CsvTokenizer.firstFlaggedByte(flags),
                    Long.toHexString(flags));
        }
    }
}
