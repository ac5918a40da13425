package run;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import core.Pipeline;
import org.apache.camel.Exchange;

/**
 * The input's identity: the SHA-256 of its bytes, which every commit records and by which the HTTP poller knows the
 * content it loaded last. This class alone computes it, once per run: a download's as its bytes are written to the
 * run's file ({@link #hashing}), a local file's on a thread of its own from the run's start, alongside the convert
 * stage ({@link #ofFile}), or, for a one-shot file, from the app's start ({@link #ahead}). It travels on the exchange
 * ({@link Pipeline#INPUT_SHA256}), where every stage reads it.
 */
public final class InputIdentity {

    private final CompletableFuture<String> sha256;
    /** The file hashed ahead, as it was then; null for any other identity. */
    private final Path file;
    private final BasicFileAttributes attributes;

    private InputIdentity(CompletableFuture<String> sha256, Path file, BasicFileAttributes attributes) {
        this.sha256 = sha256;
        this.file = file;
        this.attributes = attributes;
    }

    /** A download's body, hashed as it is read: {@link Hashing#identity()} once it has been read to its end. */
    public static Hashing hashing(InputStream body) {
        return new Hashing(body);
    }

    /** The identity of {@code file}, computed on a thread of its own from now on. */
    public static InputIdentity ofFile(Path file) {
        return new InputIdentity(inBackground(file), null, null);
    }

    /**
     * The identity of a one-shot input, computed on a thread of its own while the app starts; null when the file
     * cannot be read now (its run then fails to read it, or begins its own). Used only if it is {@link #isOf} the
     * run's input then.
     */
    public static InputIdentity ahead(Path file) {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (IOException e) {
            return null;
        }
        return new InputIdentity(inBackground(file), file, attributes);
    }

    /** The identity on the exchange, or null before the run has its input. */
    public static InputIdentity of(Exchange exchange) {
        return exchange.getProperty(Pipeline.INPUT_SHA256, InputIdentity.class);
    }

    /** Puts it on the exchange, as the run's input's. */
    public void attachTo(Exchange exchange) {
        exchange.setProperty(Pipeline.INPUT_SHA256, this);
    }

    /**
     * Whether this identity, begun ahead, is that of {@code input} as it is now: the same file, of the same size and
     * modification time, and its digest did not fail.
     */
    public boolean isOf(Path input) throws IOException {
        if (file == null || !file.equals(input) || sha256.isCompletedExceptionally()) {
            return false;
        }
        BasicFileAttributes now = Files.readAttributes(input, BasicFileAttributes.class);
        FileTime modified = attributes.lastModifiedTime();
        return now.size() == attributes.size() && now.lastModifiedTime().equals(modified);
    }

    /** Whether the SHA-256 is known already, without waiting. */
    public boolean isKnown() {
        return sha256.isDone() && !sha256.isCompletedExceptionally();
    }

    /** The SHA-256 if it is known already. */
    public Optional<String> known() {
        return isKnown() ? Optional.of(sha256.join()) : Optional.empty();
    }

    /** The SHA-256, waiting for it while it is being computed; a digest that failed throws its cause. */
    public String sha256() throws IOException {
        try {
            return sha256.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw e;
        }
    }

    /** The SHA-256 as hex, or that it is still being computed. */
    @Override
    public String toString() {
        return known().orElse("(being computed)");
    }

    private static CompletableFuture<String> inBackground(Path file) {
        CompletableFuture<String> sha256 = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                sha256.complete(digestOf(file));
            } catch (IOException | RuntimeException e) {
                sha256.completeExceptionally(e);
            }
        }, "input-sha256");
        thread.setDaemon(true);
        thread.start();
        return sha256;
    }

    private static String digestOf(Path file) throws IOException {
        MessageDigest digest = newDigest();
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }

    /** A download's body, hashed on its way to the run's file. */
    public static final class Hashing extends DigestInputStream {

        private Hashing(InputStream body) {
            super(body, newDigest());
        }

        /** The identity of the bytes read so far: the whole body, once it has been read to its end. */
        public InputIdentity identity() {
            String hex = HexFormat.of().formatHex(getMessageDigest().digest());
            return new InputIdentity(CompletableFuture.completedFuture(hex), null, null);
        }
    }
}
