package run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;

import core.Pipeline;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A one-shot input hashed ahead, while the app starts, is the file's SHA-256; a file changed since is read again. */
class InputIdentityIsOfTheFileAsTheRunReadsItTest {

    @TempDir
    Path dir;

    @Test
    void theDigestComputedAheadIsTheFilesSha256() throws Exception {
        Path csv = Files.writeString(dir.resolve("products.csv"), "product_id,product_name\n1,Widget\n");
        IdentifyInput ahead = startedAhead(csv);

        assertEquals(sha256(Files.readAllBytes(csv)), identified(ahead, csv));
    }

    @Test
    void aFileChangedAfterTheDigestBeganIsReadAgain() throws Exception {
        Path csv = Files.writeString(dir.resolve("products.csv"), "product_id,product_name\n1,Widget\n");
        IdentifyInput ahead = startedAhead(csv);
        identified(ahead, csv);

        byte[] changed = "product_id,product_name\n2,Gadget\n".getBytes(StandardCharsets.UTF_8);
        Files.write(csv, changed);
        Files.setLastModifiedTime(csv, FileTime.from(Instant.now().plusSeconds(60)));

        assertEquals(sha256(changed), identified(ahead, csv));
    }

    @Test
    void anotherFileIsReadItself() throws Exception {
        Path first = Files.writeString(dir.resolve("a.csv"), "product_id\n1\n");
        Path second = Files.writeString(dir.resolve("b.csv"), "product_id\n2\n");
        IdentifyInput ahead = startedAhead(first);

        assertEquals(sha256(Files.readAllBytes(second)), identified(ahead, second));
    }

    /** The step of a one-shot process whose input is {@code file}, started as the app starts it. */
    private static IdentifyInput startedAhead(Path file) {
        IdentifyInput step = new IdentifyInput(Optional.of(file.toString()));
        step.start();
        return step;
    }

    /** The SHA-256 that a run of {@code input} reads from its exchange. */
    private static String identified(IdentifyInput step, Path input) throws Exception {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.setProperty(Pipeline.INPUT_FILE, input.toAbsolutePath());
        step.identify(exchange);
        return InputIdentity.of(exchange).sha256();
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
