package app;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.MessageDigestSpi;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.security.Security;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.conscrypt.Conscrypt;

/**
 * The message digests of BoringSSL (through Conscrypt's JNI library), put first among the JVM's security providers
 * for MessageDigest only, when {@code -Ds3tables.nativeDigests=true} asks for them: TLS, signatures and random numbers
 * stay the JDK's. Only a one-shot process asks ({@code bin/jvm-oneshot.options}): it runs C1 alone, and the JDK's
 * SHA-256 compiled by C1 takes 1.5 s of CPU for a 211 MB input, BoringSSL 0.47 s. Without C1's limit the JDK's own
 * digests are the faster (C2 compiles SHA-256 to the CPU's SHA instructions), so they are the default.
 * A digest holds its first 64 KB and hashes them with the JDK's own when it ends there: loading the library costs
 * 85 ms of CPU (Conscrypt copies it out of its jar first), more than a 20-row run's hashing all told. Where Conscrypt
 * has no library for the platform (Linux and macOS on ARM), larger inputs go to the JDK's digests as well.
 */
final class NativeDigests extends Provider {

    private static final String NAME = "NativeDigests";
    /** The system property that asks for these digests. */
    static final String PROPERTY = "s3tables.nativeDigests";

    // algorithm, Conscrypt's implementation, aliases
    private static final List<List<String>> DIGESTS = List.of(
            List.of("SHA-256", "OpenSSLMessageDigestJDK$SHA256", "SHA256", "2.16.840.1.101.3.4.2.1"),
            List.of("SHA-1", "OpenSSLMessageDigestJDK$SHA1", "SHA1", "SHA", "1.3.14.3.2.26"),
            List.of("MD5", "OpenSSLMessageDigestJDK$MD5", "1.2.840.113549.2.5"),
            List.of("SHA-512", "OpenSSLMessageDigestJDK$SHA512", "SHA512", "2.16.840.1.101.3.4.2.3"));
    /** Bytes a digest holds before it asks for the native library. */
    static final int NATIVE_FROM = 64 * 1024;
    /** Conscrypt's digests alone, not installed: what a digest past {@link #NATIVE_FROM} bytes goes on with. */
    private static final Provider CONSCRYPT = new NativeDigests(NAME + "-Conscrypt", false);

    private NativeDigests(String name, boolean deferred) {
        super(name, "1.0", "MessageDigest of BoringSSL through Conscrypt");
        for (List<String> digest : DIGESTS) {
            putService(new Digest(this, digest.get(0), "org.conscrypt." + digest.get(1),
                    digest.subList(2, digest.size()), deferred));
        }
    }

    /** Puts the provider first if the system property {@link #PROPERTY} is {@code true}. */
    static void installIfAsked() {
        if (Boolean.getBoolean(PROPERTY)) {
            install();
        }
    }

    /** Whether the provider is installed. */
    static boolean installed() {
        return Security.getProvider(NAME) != null;
    }

    /** Puts the provider first, once; the native library loads at the first digest asked for. */
    static synchronized void install() {
        if (Security.getProvider(NAME) == null) {
            Security.insertProviderAt(new NativeDigests(NAME, true), 1);
        }
    }

    private static final class Digest extends Service {

        private final boolean deferred;

        Digest(Provider provider, String algorithm, String className, List<String> aliases, boolean deferred) {
            super(provider, "MessageDigest", algorithm, className, aliases, Map.of());
            this.deferred = deferred;
        }

        @Override
        public Object newInstance(Object constructorParameter) throws NoSuchAlgorithmException {
            if (deferred) {
                return new Deferred(getAlgorithm());
            }
            if (!Library.AVAILABLE) {
                throw new NoSuchAlgorithmException("Conscrypt has no native library for this platform");
            }
            return super.newInstance(constructorParameter);
        }
    }

    /**
     * A digest that holds its first {@link #NATIVE_FROM} bytes: ended there, they are hashed by the JDK's digest;
     * one more, and they and the rest go to BoringSSL's (the JDK's where Conscrypt has no library).
     */
    static final class Deferred extends MessageDigestSpi implements Cloneable {

        private final String algorithm;
        private byte[] head = new byte[256];
        private int length;
        private MessageDigest large;

        Deferred(String algorithm) {
            this.algorithm = algorithm;
        }

        /** Whether the bytes went on to the digest for large inputs. */
        boolean isLarge() {
            return large != null;
        }

        /** The provider of the digest the bytes went on to: Conscrypt's, or the JDK's where it has no library. */
        String largeProvider() {
            return large == null ? "" : large.getProvider().getName();
        }

        @Override
        protected void engineUpdate(byte input) {
            engineUpdate(new byte[] {input}, 0, 1);
        }

        @Override
        protected void engineUpdate(byte[] input, int offset, int len) {
            if (large == null && length + len <= NATIVE_FROM) {
                if (length + len > head.length) {
                    head = Arrays.copyOf(head, Math.min(NATIVE_FROM, Math.max(length + len, head.length * 2)));
                }
                System.arraycopy(input, offset, head, length, len);
                length += len;
                return;
            }
            large().update(input, offset, len);
        }

        @Override
        protected void engineUpdate(ByteBuffer input) {
            if (large == null && length + input.remaining() <= NATIVE_FROM) {
                super.engineUpdate(input);
                return;
            }
            large().update(input);
        }

        @Override
        protected int engineGetDigestLength() {
            return large != null ? large.getDigestLength() : jdk().getDigestLength();
        }

        @Override
        protected byte[] engineDigest() {
            if (large != null) {
                return large.digest();
            }
            MessageDigest small = jdk();
            small.update(head, 0, length);
            length = 0;
            return small.digest();
        }

        @Override
        protected void engineReset() {
            length = 0;
            if (large != null) {
                large.reset();
            }
        }

        @Override
        public Object clone() throws CloneNotSupportedException {
            Deferred copy = (Deferred) super.clone();
            copy.head = head.clone();
            copy.large = large == null ? null : (MessageDigest) large.clone();
            return copy;
        }

        private MessageDigest large() {
            if (large == null) {
                try {
                    large = Library.AVAILABLE ? MessageDigest.getInstance(algorithm, CONSCRYPT) : jdk();
                } catch (NoSuchAlgorithmException e) {
                    throw new IllegalStateException(algorithm + " has no native implementation", e);
                }
                large.update(head, 0, length);
                length = 0;
            }
            return large;
        }

        private MessageDigest jdk() {
            try {
                return MessageDigest.getInstance(algorithm, "SUN");
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("the JDK has no " + algorithm + " digest", e);
            }
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
