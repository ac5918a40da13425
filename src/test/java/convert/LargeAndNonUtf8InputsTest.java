package convert;

import core.ConversionResult;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import bench.ConvertBenchmark;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;
import support.ParquetFiles;

import static convert.ConvertStage.PRODUCTS_HEADER;
import static convert.ConvertStage.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static support.ParquetFiles.records;

/**
 * Inputs that take the convert stage through its batches, row groups and column groups many times, and inputs in a
 * charset other than UTF-8, come out with every value where it belongs.
 */
@ParameterizedClass(name = "parser={0}")
@ValueSource(strings = {"fast", "camel-csv"})
class LargeAndNonUtf8InputsTest {

    /** {@code pipeline.convert.parser}: both parsers must read and reject alike. */
    @Parameter
    String parser;

    @TempDir
    Path dir;

    /** 150,000 rows in 1 MB row groups: several row groups, every row's four values read back in order. */
    @Test
    void manyBatchesAndRowGroupsKeepEveryRowWhole() throws Exception {
        ConvertStage stage = new ConvertStage(dir, parser).with("pipeline.convert.rowGroupSize", "1MB");
        Path csv = dir.resolve("generated.csv");
        ConvertBenchmark.generate(csv, 150_000, 7);

        ConversionResult result = stage.convert(csv);

        assertEquals(150_000, result.rowsWritten());
        int rowGroups = ParquetFiles.footer(result.parquetFile()).getBlocks().size();
        assertTrue(rowGroups >= 3, "row groups: " + rowGroups);
        List<String> lines = Files.readAllLines(csv);
        List<GenericRecord> rows = records(result.parquetFile());
        assertEquals(lines.size() - 1, rows.size());
        for (int i = 0; i < rows.size(); i++) {
            GenericRecord row = rows.get(i);
            String actual = row.get("product_id") + "," + text(row, "product_name") + ","
                    + text(row, "product_category") + "," + text(row, "brand");
            assertEquals(lines.get(i + 1), actual, "row " + (i + 1));
        }
    }

    /**
     * Rejected rows spread over many batches are missing from every column alike: each remaining row's values still
     * belong together, though the converting thread and the column worker write different columns of it.
     */
    @Test
    void skippedRowsLeaveEveryColumnAligned() throws Exception {
        ConvertStage stage = new ConvertStage(dir, parser)
                .with("pipeline.convert.onBadRow", "skip")
                .with("pipeline.convert.maxRejects", "1000");
        Path generated = dir.resolve("generated.csv");
        ConvertBenchmark.generate(generated, 100_000, 11);
        List<String> lines = Files.readAllLines(generated);
        StringBuilder content = new StringBuilder(lines.get(0)).append('\n');
        List<String> kept = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            if (i % 997 == 0) {
                content.append('x').append(lines.get(i)).append('\n');
            } else {
                content.append(lines.get(i)).append('\n');
                kept.add(lines.get(i));
            }
        }
        Path csv = stage.csv(content.toString());

        ConversionResult result = stage.convert(csv);

        assertEquals(100_000 / 997, result.rowsRejected());
        List<GenericRecord> rows = records(result.parquetFile());
        assertEquals(kept.size(), rows.size());
        for (int i = 0; i < rows.size(); i++) {
            GenericRecord row = rows.get(i);
            assertEquals(kept.get(i), row.get("product_id") + "," + text(row, "product_name") + ","
                    + text(row, "product_category") + "," + text(row, "brand"), "row " + (i + 1));
        }
    }

    /** A Latin-1 or windows-1252 file is read through its charset, quoted fields and all. */
    @Test
    void singleByteCharsetsAreDecoded() throws Exception {
        for (String charset : List.of("ISO-8859-1", "windows-1252")) {
            ConvertStage stage = new ConvertStage(dir, parser).with("pipeline.convert.charset", charset);
            String euro = charset.equals("windows-1252") ? "€" : "¤";
            String content = PRODUCTS_HEADER + "1,Crème brûlée set,Kitchen,Le Creuset\n"
                    + "2,\"Mug, \"\"" + euro + "5\"\"\",Kitchen,Señor\n";
            Path csv = stage.bytes(content.getBytes(Charset.forName(charset)));

            List<GenericRecord> rows = records(stage.convert(csv).parquetFile());

            assertEquals("Crème brûlée set", text(rows.get(0), "product_name"), charset);
            assertEquals("Mug, \"" + euro + "5\"", text(rows.get(1), "product_name"), charset);
            assertEquals("Señor", text(rows.get(1), "brand"), charset);
        }
    }
}
