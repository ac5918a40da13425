package app;

import java.security.MessageDigest;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Unless {@code -Ds3tables.nativeDigests=true} asks for BoringSSL's, every digest of the app is the JDK's. */
class JdkDigestsAreTheDefaultTest {

    @Test
    void notAskedTheJdksDigestsStayFirst() throws Exception {
        assertNull(System.getProperty(NativeDigests.PROPERTY), "this test JVM must not ask for the native digests");
        NativeDigests.installIfAsked();
        assertFalse(NativeDigests.installed());
        assertEquals("SUN", MessageDigest.getInstance("SHA-256").getProvider().getName());
    }
}
