package run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A one-shot input hashed ahead, while the app starts, is the file's SHA-256; a file changed since is read again. */
class InputDigestIsOfTheFileAsTheRunReadsItTest {

    @TempDir
    Path dir;

    @Test
    void theDigestComputedAheadIsTheFilesSha256() throws Exception {
        Path csv = Files.writeString(dir.resolve("products.csv"), "product_id,product_name\n1,Widget\n");
        InputDigest ahead = InputDigest.startAhead(csv);

        assertEquals(sha256(Files.readAllBytes(csv)), ahead.of(csv).join());
    }

    @Test
    void aFileChangedAfterTheDigestBeganIsReadAgain() throws Exception {
        Path csv = Files.writeString(dir.resolve("products.csv"), "product_id,product_name\n1,Widget\n");
        InputDigest ahead = InputDigest.startAhead(csv);
        ahead.of(csv);

        byte[] changed = "product_id,product_name\n2,Gadget\n".getBytes(StandardCharsets.UTF_8);
        Files.write(csv, changed);
        Files.setLastModifiedTime(csv, FileTime.from(Instant.now().plusSeconds(60)));

        assertEquals(sha256(changed), ahead.of(csv).join());
    }

    @Test
    void anotherFileIsReadItself() throws Exception {
        Path first = Files.writeString(dir.resolve("a.csv"), "product_id\n1\n");
        Path second = Files.writeString(dir.resolve("b.csv"), "product_id\n2\n");
        InputDigest ahead = InputDigest.startAhead(first);

        assertEquals(sha256(Files.readAllBytes(second)), ahead.of(second).join());
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
