package run;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;

/**
 * The SHA-256 of an input file, the identity each commit records, computed on a thread of its own: a run's as the run
 * begins (its convert stage may go on meanwhile), and a one-shot run's as soon as the app starts, while Camel and the
 * embedded S3 server start (used only if the file still has the size and modification time it had then).
 */
final class InputDigest {

    private final Path file;
    private final long size;
    private final FileTime modified;
    private final CompletableFuture<String> sha256 = new CompletableFuture<>();

    private InputDigest(Path file, BasicFileAttributes attributes) {
        this.file = file;
        this.size = attributes.size();
        this.modified = attributes.lastModifiedTime();
    }

    /** Starts the digest of {@code file} on a daemon thread; null when the file cannot be read now. */
    static InputDigest startAhead(Path file) {
        InputDigest digest;
        try {
            digest = new InputDigest(file, Files.readAttributes(file, BasicFileAttributes.class));
        } catch (IOException e) {
            return null;
        }
        inBackground(file, digest.sha256);
        return digest;
    }

    /** The digest computed ahead if it is of this very file, unchanged since; otherwise one begun now. */
    CompletableFuture<String> of(Path input) throws IOException {
        BasicFileAttributes now = Files.readAttributes(input, BasicFileAttributes.class);
        if (input.equals(file) && now.size() == size && now.lastModifiedTime().equals(modified)
            && !sha256.isCompletedExceptionally()) {
            return sha256;
        }
        return start(input);
    }

    /** The digest of {@code file}, begun now on a daemon thread. */
    static CompletableFuture<String> start(Path file) {
        CompletableFuture<String> sha256 = new CompletableFuture<>();
        inBackground(file, sha256);
        return sha256;
    }

    private static void inBackground(Path file, CompletableFuture<String> sha256) {
        Thread thread = new Thread(() -> {
            try {
                sha256.complete(sha256(file));
            } catch (IOException | RuntimeException e) {
                sha256.completeExceptionally(e);
            }
        }, "input-sha256");
        thread.setDaemon(true);
        thread.start();
    }

    static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
