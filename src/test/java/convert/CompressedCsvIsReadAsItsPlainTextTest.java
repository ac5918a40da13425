package convert;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import com.github.luben.zstd.ZstdOutputStream;
import core.BadInputException;
import core.ConversionResult;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;
import support.ParquetFiles;

import static convert.ConvertStage.PRODUCTS_HEADER;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A CSV compressed with gzip, zstd or bzip2 is told by its first bytes, whatever its name, and read as the CSV it
 * holds, decompressed on the way by each parser and the schema inference alike; damaged compressed data is bad input
 * saying so, and a CSV that decompresses past {@code pipeline.convert.maxInputBytes} fails naming that limit.
 */
@ParameterizedClass(name = "parser={0}")
@ValueSource(strings = {"fast", "camel-csv"})
class CompressedCsvIsReadAsItsPlainTextTest {

    private static final byte[] CSV = (PRODUCTS_HEADER
            + "1,\"Headphones, wireless\",Electronics,Sony\n2,Café press,Kitchen,Bodum\n3,Mat,Sports,\n")
            .getBytes(StandardCharsets.UTF_8);

    @Parameter
    String parser;

    @TempDir
    Path dir;

    @Test
    void eachCompressionConvertsToTheRowsOfThePlainFile() throws Exception {
        ConvertStage stage = new ConvertStage(dir, parser);
        ConversionResult plainResult = stage.convert(stage.bytes(CSV));
        List<List<String>> plain = ParquetFiles.productRows(ParquetFiles.records(plainResult.parquetFile()));
        assertEquals(null, plainResult.compression(), "a plain CSV's report names no compression");
        for (String name : List.of("gz", "zst", "bz2")) {
            // named .csv: the first bytes tell the compression, not the name
            Path compressed = stage.bytes(compress(name, CSV));
            ConversionResult result = stage.convert(compressed);
            assertEquals(plain, ParquetFiles.productRows(ParquetFiles.records(result.parquetFile())), name);
            assertEquals(describe(name), result.compression(), "the run report's compression");
            assertEquals(CSV.length, result.csvBytes(), "the run report's csvBytes");
            assertEquals(3, stage.infer(compressed, 100).sampleRows(), name + ": the inference reads it too");
        }
    }

    @Test
    void eachDecoderHandsOverTheBytesOfThePlainFile() throws Exception {
        for (String name : List.of("gz", "zst", "bz2")) {
            Path file = Files.write(dir.resolve("products.csv." + name), compress(name, CSV));
            try (CsvBytes csv = CsvBytes.open(file, StandardCharsets.UTF_8); InputStream in = csv.utf8()) {
                assertEquals(name, extension(csv.compression()));
                assertArrayEquals(CSV, in.readAllBytes(), name);
                assertEquals(Files.size(file), csv.storedBytesRead(), name + ": the whole file read");
            }
        }
        // where zstd-jni's native library does not load, aircompressor's decoder reads the same bytes
        try (InputStream in = Decompressors.pureJavaZstd(new java.io.ByteArrayInputStream(compress("zst", CSV)))) {
            assertArrayEquals(CSV, in.readAllBytes());
        }
    }

    @Test
    void aPlainFileNamedLikeACompressedOneIsReadAsItIs() throws Exception {
        Path file = Files.write(dir.resolve("products.csv.gz"), CSV);
        try (CsvBytes csv = CsvBytes.open(file, StandardCharsets.UTF_8); InputStream in = csv.utf8()) {
            assertEquals(CsvBytes.Compression.NONE, csv.compression());
            assertArrayEquals(CSV, in.readAllBytes());
        }
    }

    @Test
    void damagedCompressedDataIsBadInputSayingSo() throws Exception {
        ConvertStage stage = new ConvertStage(dir, parser);
        for (String name : List.of("gz", "zst", "bz2")) {
            byte[] whole = compress(name, CSV);
            Path cut = stage.bytes(Arrays.copyOf(whole, whole.length - 8));
            String message = stage.fail(cut, BadInputException.class).getMessage();
            assertTrue(message.startsWith("the " + describe(name) + " data of " + cut + " is damaged: "), message);
        }
    }

    @Test
    void aDecompressionBombFailsNamingTheLimit() throws Exception {
        // 2.6 KB of gzip that inflates to 1 MB of rows
        byte[] rows = (PRODUCTS_HEADER + "1,Mat,Sports,Manduka\n".repeat(50_000)).getBytes(StandardCharsets.UTF_8);
        byte[] bomb = compress("gz", rows);
        assertTrue(bomb.length < 4096, bomb.length + " bytes");
        ConvertStage stage = new ConvertStage(dir, parser).with("pipeline.convert.maxInputBytes", "100KB");
        Path file = stage.bytes(bomb);

        String message = stage.fail(file, BadInputException.class).getMessage();
        assertEquals("the gzip file " + file + " (" + bomb.length + " bytes) decompresses to more than 102400 bytes"
                + " of CSV (pipeline.convert.maxInputBytes)", message);
        // a plain file over the limit fails before it is read
        Path plain = stage.bytes(rows);
        assertEquals(plain + " is larger than 102400 bytes (pipeline.convert.maxInputBytes)",
                stage.fail(plain, BadInputException.class).getMessage());
    }

    private static String extension(CsvBytes.Compression compression) {
        return switch (compression) {
            case GZIP -> "gz";
            case ZSTD -> "zst";
            case BZIP2 -> "bz2";
            case NONE -> "";
        };
    }

    private static String describe(String extension) {
        return switch (extension) {
            case "gz" -> "gzip";
            case "zst" -> "zstd";
            default -> "bzip2";
        };
    }

    static byte[] compress(String extension, byte[] plain) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = switch (extension) {
            case "gz" -> new GZIPOutputStream(bytes);
            case "zst" -> new ZstdOutputStream(bytes);
            case "bz2" -> new BZip2CompressorOutputStream(bytes);
            default -> throw new IllegalArgumentException(extension);
        }) {
            out.write(plain);
        }
        return bytes.toByteArray();
    }
}
