package app;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.zip.GZIPOutputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.luben.zstd.ZstdOutputStream;
import org.junit.jupiter.api.Test;
import support.PipelineTestSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A {@code .csv.gz} or {@code .csv.zst} dropped in the inbox is picked up by the default include pattern and loads
 * the rows of the plain file, its report saying the compression; a small gzip that inflates past
 * {@code pipeline.convert.maxInputBytes} ends FAILED naming the limit.
 */
class CompressedInboxDropLoadsLikeThePlainFileTest extends PipelineTestSupport {

    @Override
    protected Properties testProperties() {
        Properties p = fastInbox();
        p.setProperty("pipeline.convert.maxInputBytes", "256KB");
        return p;
    }

    @Test
    void gzipAndZstdDropsLoadTheRowsOfThePlainFile() throws Exception {
        byte[] csv = Files.readAllBytes(samplePath());
        byte[] gz = gzip(csv);
        drop("products.csv.gz", gz);
        JsonNode gzRun = awaitReportOfDrop("products.csv.gz");
        byte[] zst = zstd(csv);
        drop("products.csv.zst", zst);
        JsonNode zstRun = awaitReportOfDrop("products.csv.zst");

        for (JsonNode report : List.of(gzRun, zstRun)) {
            assertEquals("SUCCEEDED", report.path("status").asText(), report.toString());
            assertEquals(20, report.path("rowsWritten").asLong(), report.toString());
            assertEquals(csv.length, report.path("csvBytes").asLong(), report.toString());
            assertEquals(sampleRows(), asRows(readParquet(report.path("parquetUri").asText())));
        }
        assertEquals("gzip", gzRun.path("compression").asText(), gzRun.toString());
        assertEquals(gz.length, gzRun.path("bytesRead").asLong(), "the bytes as dropped: " + gzRun);
        assertEquals(sha256(gz), gzRun.path("sha256").asText(), "the identity of the bytes as dropped");
        assertEquals("zstd", zstRun.path("compression").asText(), zstRun.toString());
        assertEquals(zst.length, zstRun.path("bytesRead").asLong(), zstRun.toString());
        assertTrue(Files.exists(inbox().resolve(".done").resolve("products.csv.gz")), "moved to .done/ as dropped");
        assertEquals(List.of(), filesLeftInInbox());
    }

    @Test
    void aSmallGzipThatInflatesPastTheLimitEndsFailedNamingIt() throws Exception {
        byte[] rows = ("product_id,product_name,product_category,brand\n" + "1,Mat,Sports,Manduka\n".repeat(12_500))
                .getBytes(StandardCharsets.UTF_8);
        byte[] bomb = gzip(rows);
        assertTrue(bomb.length <= 1024, bomb.length + " bytes of gzip");
        Path dropped = drop("bomb.csv.gz", bomb);

        JsonNode report = awaitReportOfDrop("bomb.csv.gz");

        assertEquals("FAILED", report.path("status").asText(), report.toString());
        assertEquals("convert", report.path("error").path("stage").asText(), report.toString());
        String message = report.path("error").path("message").asText();
        assertTrue(message.contains("decompresses to more than 262144 bytes of CSV (pipeline.convert.maxInputBytes)")
                   && message.contains("the gzip file") && message.contains("(" + bomb.length + " bytes)"), message);
        Path failed = inbox().resolve(".failed").resolve(dropped.getFileName());
        assertTrue(Files.exists(failed), "kept in " + failed);
        assertEquals(List.of(), filesLeftInInbox());
    }

    static byte[] gzip(byte[] plain) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            out.write(plain);
        }
        return bytes.toByteArray();
    }

    private static byte[] zstd(byte[] plain) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new ZstdOutputStream(bytes)) {
            out.write(plain);
        }
        return bytes.toByteArray();
    }
}
