package app;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.Security;
import java.util.Arrays;
import java.util.HexFormat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The native digests come first once installed, and hash as the JDK's own do; up to 64 KB they are the JDK's, past
 * that BoringSSL's on x86-64, where Conscrypt ships its library, and the JDK's again elsewhere (ARM): a fall-back on
 * x86-64, or none on ARM, is a failure, not a skip.
 */
class NativeDigestsTest {

    private static final byte[] INPUT = "product_id,product_name\n1,Ålesund café, \"quoted\"\n"
            .repeat(5_000).getBytes(StandardCharsets.UTF_8);

    @BeforeAll
    static void install() {
        NativeDigests.install();
        NativeDigests.install();
    }

    /** The other tests of this JVM get the JDK's digests, as the app has unless asked. */
    @AfterAll
    static void uninstall() {
        Security.removeProvider("NativeDigests");
    }

    @Test
    void digestsComeFromTheProviderAndMatchTheJdk() throws Exception {
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
    void inputsUpToTheThresholdAreHashedByTheJdkWithoutTheLibrary() throws Exception {
        NativeDigests.Deferred small = new NativeDigests.Deferred("SHA-256");
        small.engineUpdate(INPUT, 0, 1000);
        small.engineUpdate(INPUT, 1000, NativeDigests.NATIVE_FROM - 1000);
        assertFalse(small.isLarge());
        assertEquals(hex(sun("SHA-256").digest(Arrays.copyOf(INPUT, NativeDigests.NATIVE_FROM))),
                hex(small.engineDigest()));

        NativeDigests.Deferred empty = new NativeDigests.Deferred("MD5");
        assertEquals(hex(sun("MD5").digest()), hex(empty.engineDigest()));
        assertEquals(16, empty.engineGetDigestLength());
    }

    @Test
    void oneByteMoreAndTheHeldBytesGoOnToTheNativeDigest() throws Exception {
        NativeDigests.Deferred byArray = new NativeDigests.Deferred("SHA-256");
        byArray.engineUpdate(INPUT, 0, NativeDigests.NATIVE_FROM);
        NativeDigests.Deferred small = (NativeDigests.Deferred) byArray.clone();
        byArray.engineUpdate(INPUT[NativeDigests.NATIVE_FROM]);
        assertTrue(byArray.isLarge());
        assertEquals(conscryptHasALibraryHere() ? "NativeDigests-Conscrypt" : "SUN", byArray.largeProvider(),
                System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        byArray.engineUpdate(INPUT, NativeDigests.NATIVE_FROM + 1, INPUT.length - NativeDigests.NATIVE_FROM - 1);
        assertEquals(hex(sun("SHA-256").digest(INPUT)), hex(byArray.engineDigest()));
        assertEquals(hex(sun("SHA-256").digest(Arrays.copyOf(INPUT, NativeDigests.NATIVE_FROM))),
                hex(small.engineDigest()), "a clone taken before keeps only what it held");

        NativeDigests.Deferred byBuffer = new NativeDigests.Deferred("SHA-256");
        ByteBuffer direct = ByteBuffer.allocateDirect(INPUT.length).put(INPUT).flip();
        byBuffer.engineUpdate(direct.slice().limit(10));
        byBuffer.engineUpdate(direct.position(10));
        assertTrue(byBuffer.isLarge());
        assertEquals(hex(sun("SHA-256").digest(INPUT)), hex(byBuffer.engineDigest()));
        byBuffer.engineReset();
        byBuffer.engineUpdate(INPUT, 0, 10);
        assertEquals(hex(sun("SHA-256").digest(Arrays.copyOf(INPUT, 10))), hex(byBuffer.engineDigest()),
                "a digest that went native hashes the next input from the start");
    }

    @Test
    void installingTwiceKeepsOneProvider() {
        long providers = Arrays.stream(Security.getProviders())
                .filter(p -> p.getName().equals("NativeDigests"))
                .count();
        assertEquals(1, providers);
        assertEquals("NativeDigests", Security.getProviders()[0].getName());
    }

    /** Conscrypt's uber jar has libraries for x86-64 (Linux, macOS, Windows) and none for ARM. */
    private static boolean conscryptHasALibraryHere() {
        String arch = System.getProperty("os.arch");
        return arch.equals("amd64") || arch.equals("x86_64");
    }

    private static MessageDigest sun(String algorithm) throws Exception {
        return MessageDigest.getInstance(algorithm, "SUN");
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
