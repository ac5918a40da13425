package app;

import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.security.Security;
import java.util.List;
import java.util.Map;

import org.conscrypt.Conscrypt;

/**
 * The message digests of BoringSSL (through Conscrypt's JNI library), put first among the JVM's security providers
 * for MessageDigest only: TLS, signatures and random numbers stay the JDK's. The input's SHA-256, the S3 client's
 * payload signature and the embedded S3 server's checks then hash at native speed while the JVM runs C1 alone
 * ({@code bin/jvm.options}): the JDK's SHA-256 compiled by C1 takes 1.5 s of CPU for a 211 MB input, BoringSSL 0.47 s.
 * Where Conscrypt has no library for the platform (Linux and macOS on ARM), each request falls through to the JDK's.
 */
final class NativeDigests extends Provider {

    private static final String NAME = "NativeDigests";

    // algorithm, Conscrypt's implementation, aliases
    private static final List<List<String>> DIGESTS = List.of(
            List.of("SHA-256", "OpenSSLMessageDigestJDK$SHA256", "SHA256", "2.16.840.1.101.3.4.2.1"),
            List.of("SHA-1", "OpenSSLMessageDigestJDK$SHA1", "SHA1", "SHA", "1.3.14.3.2.26"),
            List.of("MD5", "OpenSSLMessageDigestJDK$MD5", "1.2.840.113549.2.5"),
            List.of("SHA-512", "OpenSSLMessageDigestJDK$SHA512", "SHA512", "2.16.840.1.101.3.4.2.3"));

    private NativeDigests() {
        super(NAME, "1.0", "MessageDigest of BoringSSL through Conscrypt");
        for (List<String> digest : DIGESTS) {
            putService(new Digest(this, digest.get(0), "org.conscrypt." + digest.get(1),
                    digest.subList(2, digest.size())));
        }
    }

    /** Puts the provider first, once; the native library loads at the first digest asked for. */
    static synchronized void install() {
        if (Security.getProvider(NAME) == null) {
            Security.insertProviderAt(new NativeDigests(), 1);
        }
    }

    private static final class Digest extends Service {

        Digest(Provider provider, String algorithm, String className, List<String> aliases) {
            super(provider, "MessageDigest", algorithm, className, aliases, Map.of());
        }

        @Override
        public Object newInstance(Object constructorParameter) throws NoSuchAlgorithmException {
            if (!Library.AVAILABLE) {
                // the JCA then asks the next provider: the JDK's own
                throw new NoSuchAlgorithmException("Conscrypt has no native library for this platform");
            }
            return super.newInstance(constructorParameter);
        }
    }

    /** Loads the native library at its first use, on whichever thread first asks for a digest. */
    private static final class Library {

        static final boolean AVAILABLE = load();

        private static boolean load() {
            try {
                return Conscrypt.isAvailable();
            } catch (LinkageError e) {
                return false;
            }
        }
    }
}
