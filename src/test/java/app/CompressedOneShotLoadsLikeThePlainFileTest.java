package app;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.luben.zstd.ZstdOutputStream;
import org.junit.jupiter.api.Test;
import support.PipelineTestSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code pipeline.once=<x.csv.zst>} loads the rows of the plain file, its report saying zstd; the exit code is 0. */
class CompressedOneShotLoadsLikeThePlainFileTest extends PipelineTestSupport {

    private byte[] zst;

    @Override
    protected Properties testProperties() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (OutputStream out = new ZstdOutputStream(bytes)) {
                out.write(Files.readAllBytes(samplePath()));
            }
            zst = bytes.toByteArray();
            Path file = Files.write(dataDir.resolve("products.csv.zst"), zst);
            Properties p = new Properties();
            p.setProperty("pipeline.once", file.toString());
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aZstdFileLoadsTheRowsOfThePlainFile() throws Exception {
        JsonNode report = awaitReport();

        assertEquals("SUCCEEDED", report.path("status").asText(), report.toString());
        assertEquals("zstd", report.path("compression").asText(), report.toString());
        assertEquals(zst.length, report.path("bytesRead").asLong(), report.toString());
        assertEquals(sha256(zst), report.path("sha256").asText(), "the identity of the file as stored");
        assertEquals(Files.size(samplePath()), report.path("csvBytes").asLong(), report.toString());
        assertEquals(sampleRows(), asRows(readParquet(report.path("parquetUri").asText())));
        awaitExitCode(0);
    }
}
