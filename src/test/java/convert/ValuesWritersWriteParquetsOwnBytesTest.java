package convert;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.values.ValuesWriter;
import org.apache.parquet.column.values.factory.DefaultV1ValuesWriterFactory;
import org.apache.parquet.column.values.factory.ValuesWriterFactory;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * The convert's values writers ({@link PlainValuesWriters}, with {@link DistinctValues} for strings) write the bytes
 * parquet-java's own version 1 writers write, page by page and dictionary by dictionary, through a dictionary's
 * fallback to PLAIN and from column chunk to column chunk; only faster.
 */
class ValuesWritersWriteParquetsOwnBytesTest {

    private static final String[] FEW = {"Electronics", "Home", "Kitchen", "Sports", "", "Beauty", "Garden",
        "Crème Brûlée", "抹茶"};

    @Test
    void stringsOfFewValuesAsConstantInstancesAndOfManyAsReusedSlices() throws IOException {
        compare(PrimitiveTypeName.BINARY, ParquetProperties.builder(), 20_000, () -> {
            SplittableRandom random = new SplittableRandom(7);
            DistinctValues distinct = new DistinctValues();
            byte[] line = new byte[256];
            return (writer, i) -> {
                // a value at a moving offset of a reused array, as the CSV batches hold them
                String text = i < 12_000 ? FEW[random.nextInt(FEW.length)] : "Product " + random.nextInt(1_000_000);
                byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
                int offset = random.nextInt(100);
                System.arraycopy(utf8, 0, line, offset, utf8.length);
                Binary value = distinct.find(line, offset, utf8.length);
                writer.writeBytes(value != null ? value : Binary.fromReusedByteArray(line, offset, utf8.length));
            };
        });
    }

    @Test
    void aDictionaryResetAfterItsPageStartsAfresh() throws IOException {
        Supplier<BiConsumer<ValuesWriter, Integer>> few = () -> {
            SplittableRandom random = new SplittableRandom(3);
            DistinctValues distinct = new DistinctValues();
            return (writer, i) -> {
                // the values of each chunk in another order, so that a dictionary kept from before shows
                byte[] utf8 = FEW[(i / 3000 + random.nextInt(3)) % FEW.length].getBytes(StandardCharsets.UTF_8);
                writer.writeBytes(distinct.find(utf8, 0, utf8.length));
            };
        };
        ColumnDescriptor column = new ColumnDescriptor(new String[] {"c"},
                Types.required(PrimitiveTypeName.BINARY).named("c"), 0, 0);
        ParquetProperties parquetDefaults = ParquetProperties.builder().withPageSize(1024).build();
        ParquetProperties ours = ParquetProperties.copy(parquetDefaults)
                .withValuesWriterFactory(new PlainValuesWriters()).build();
        // one writer throughout, reset after each dictionary page as parquet-java's column writer does
        assertEquals(pages(parquetDefaults, column, 20_000, few.get(), false),
                pages(ours, column, 20_000, few.get(), false));
    }

    @Test
    void intsLongsFloatsAndDoublesFromFewValuesToMany() throws IOException {
        ParquetProperties.Builder defaults = ParquetProperties.builder();
        compare(PrimitiveTypeName.INT32, defaults, 300_000, () -> {
            SplittableRandom random = new SplittableRandom(11);
            return (writer, i) -> writer.writeInteger(i < 100_000 ? random.nextInt(50) - 25 : random.nextInt());
        });
        compare(PrimitiveTypeName.INT64, defaults, 300_000, () -> {
            SplittableRandom random = new SplittableRandom(11);
            return (writer, i) -> writer.writeLong(i < 100_000 ? random.nextInt(50) : random.nextLong());
        });
        compare(PrimitiveTypeName.FLOAT, defaults, 300_000, () -> {
            SplittableRandom random = new SplittableRandom(11);
            return (writer, i) -> writer.writeFloat(i < 100_000 ? random.nextInt(50) / 4f
                    : (float) random.nextDouble());
        });
        compare(PrimitiveTypeName.DOUBLE, defaults, 300_000, () -> {
            SplittableRandom random = new SplittableRandom(11);
            return (writer, i) -> writer.writeDouble(i < 100_000 ? random.nextInt(50) / 4d : random.nextDouble());
        });
    }

    @Test
    void withoutADictionaryThePlainBytesAlone() throws IOException {
        ParquetProperties.Builder noDictionary = ParquetProperties.builder().withDictionaryEncoding(false);
        compare(PrimitiveTypeName.INT32, noDictionary, 50_000, () -> {
            SplittableRandom random = new SplittableRandom(13);
            return (writer, i) -> writer.writeInteger(random.nextInt());
        });
        compare(PrimitiveTypeName.BINARY, noDictionary, 50_000, () -> {
            SplittableRandom random = new SplittableRandom(13);
            return (writer, i) -> writer.writeBytes(Binary.fromString("value " + random.nextInt(1000)));
        });
    }

    @Test
    void aFewDistinctValuesAreOneInstanceEachUntilThereAreMany() {
        DistinctValues distinct = new DistinctValues();
        byte[] a = "xxabcdexx".getBytes(StandardCharsets.US_ASCII);
        byte[] b = "abcde".getBytes(StandardCharsets.US_ASCII);
        // the same length, first, middle and last byte: the same hash, another value
        byte[] c = "aycze".getBytes(StandardCharsets.US_ASCII);
        Binary first = distinct.find(a, 2, 5);
        assertSame(first, distinct.find(b, 0, 5));
        Binary other = distinct.find(c, 0, 5);
        assertEquals("abcde", first.toStringUsingUTF8());
        assertEquals("aycze", other.toStringUsingUTF8());
        assertSame(other, distinct.find(c, 0, 5));
        assertEquals("", distinct.find(a, 3, 0).toStringUsingUTF8());
        for (int i = 3; i < DistinctValues.MAX; i++) {
            byte[] v = ("v" + i).getBytes(StandardCharsets.US_ASCII);
            assertNotNull(distinct.find(v, 0, v.length), "value " + i);
        }
        byte[] oneTooMany = "one too many".getBytes(StandardCharsets.US_ASCII);
        assertNull(distinct.find(oneTooMany, 0, oneTooMany.length));
        assertNull(distinct.find(b, 0, 5), "a column of many values: each as read from then on");
    }

    /**
     * Writes the same values through both factories' writers, as the convert's column writers do: pages of the page
     * size, and at the end of each column chunk (every third page here) its dictionary page, then new writers for the
     * next row group. Each side gets the same values from a fresh {@code source}.
     */
    private static void compare(PrimitiveTypeName type, ParquetProperties.Builder properties, int values,
            Supplier<BiConsumer<ValuesWriter, Integer>> source) throws IOException {
        ColumnDescriptor column = new ColumnDescriptor(new String[] {"c"}, Types.required(type).named("c"), 0, 0);
        ParquetProperties parquetDefaults = properties.withPageSize(16 * 1024).withDictionaryPageSize(8 * 1024)
                .withValuesWriterFactory(new DefaultV1ValuesWriterFactory()).build();
        ParquetProperties ours = ParquetProperties.copy(parquetDefaults)
                .withValuesWriterFactory(new PlainValuesWriters()).build();
        List<String> expected = pages(parquetDefaults, column, values, source.get(), true);
        List<String> actual = pages(ours, column, values, source.get(), true);
        assertEquals(expected.size(), actual.size(), type + ": pages");
        for (int p = 0; p < expected.size(); p++) {
            assertEquals(expected.get(p), actual.get(p), type + ": page " + p);
        }
    }

    /** {@code newWriters}: new writers for each column chunk, or one writer, its dictionary reset. */
    private static List<String> pages(ParquetProperties properties, ColumnDescriptor column, int values,
            BiConsumer<ValuesWriter, Integer> write, boolean newWriters) throws IOException {
        List<String> pages = new ArrayList<>();
        ValuesWriter writer = properties.getValuesWriterFactory().newValuesWriter(column);
        int pagesInChunk = 0;
        for (int i = 0; i < values; i++) {
            write.accept(writer, i);
            if (writer.getBufferedSize() < properties.getPageSizeThreshold() && i < values - 1) {
                continue;
            }
            long size = writer.getBufferedSize();
            // the bytes first: a dictionary writer decides on its first page whether it falls back to PLAIN
            String bytes = hex(writer.getBytes().toByteArray());
            pages.add(writer.getEncoding() + " " + size + " " + bytes);
            writer.reset();
            if (++pagesInChunk == 3 || i == values - 1) {
                DictionaryPage dictionary = writer.toDictPageAndClose();
                pages.add(dictionary == null ? "no dictionary" : "dictionary " + dictionary.getDictionarySize() + " "
                        + dictionary.getEncoding() + " " + hex(dictionary.getBytes().toByteArray()));
                if (newWriters) {
                    writer = properties.getValuesWriterFactory().newValuesWriter(column);
                } else if (dictionary != null) {
                    writer.resetDictionary();
                }
                pagesInChunk = 0;
            }
        }
        return pages;
    }

    private static String hex(byte[] bytes) {
        StringBuilder s = new StringBuilder(bytes.length * 2);
        for (byte b : bytes) {
            s.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
        }
        return s.toString();
    }
}
