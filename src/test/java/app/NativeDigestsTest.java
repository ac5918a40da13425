package app;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.Security;
import java.util.Arrays;
import java.util.HexFormat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The native digests come first once installed, and hash as the JDK's own do. This project's machines are Linux on
 * x86-64, where Conscrypt has its library: a fall-back to the JDK's digests here is a failure, not a skip.
 */
class NativeDigestsTest {

    private static final byte[] INPUT = "product_id,product_name\n1,Ålesund café, \"quoted\"\n"
            .repeat(5_000).getBytes(StandardCharsets.UTF_8);

    @BeforeAll
    static void install() {
        NativeDigests.install();
        NativeDigests.install();
    }

    @Test
    void sha256AndMd5ComeFromBoringSslAndMatchTheJdk() throws Exception {
        for (String algorithm : new String[] {"SHA-256", "MD5", "SHA-1", "SHA-512"}) {
            MessageDigest nativeDigest = MessageDigest.getInstance(algorithm);
            assertEquals("NativeDigests", nativeDigest.getProvider().getName(), algorithm);
            nativeDigest.update(INPUT, 0, 1000);
            nativeDigest.update(INPUT, 1000, INPUT.length - 1000);
            assertEquals(hex(MessageDigest.getInstance(algorithm, "SUN").digest(INPUT)),
                    hex(nativeDigest.digest()), algorithm);
        }
    }

    @Test
    void aCloneGoesOnFromWhereTheOriginalWas() throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        digest.update(INPUT, 0, 100);
        MessageDigest clone = (MessageDigest) digest.clone();
        digest.update(INPUT, 100, INPUT.length - 100);
        clone.update(INPUT, 100, INPUT.length - 100);
        assertEquals(hex(digest.digest()), hex(clone.digest()));
    }

    @Test
    void installingTwiceKeepsOneProvider() {
        long providers = Arrays.stream(Security.getProviders())
                .filter(p -> p.getName().equals("NativeDigests"))
                .count();
        assertEquals(1, providers);
        assertEquals("NativeDigests", Security.getProviders()[0].getName());
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
