package support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A small file system of its own (tmpfs) mounted on a folder, for tests of a full disk. Mounting needs root, as CI
 * runs the suite: a test that cannot mount fails, saying why, rather than skip.
 */
public final class SmallDisk implements AutoCloseable {

    private final Path mountPoint;

    private SmallDisk(Path mountPoint) {
        this.mountPoint = mountPoint;
    }

    /** Mounts a tmpfs of {@code size} (such as {@code 5m}) on {@code mountPoint}, made if missing. */
    public static SmallDisk mount(Path mountPoint, String size) throws IOException, InterruptedException {
        Files.createDirectories(mountPoint);
        run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", mountPoint.toString());
        return new SmallDisk(mountPoint);
    }

    public Path path() {
        return mountPoint;
    }

    /** Makes it {@code size}, its files kept: space freed as a user would free it. */
    public void resize(String size) throws IOException, InterruptedException {
        run("mount", "-o", "remount,size=" + size, mountPoint.toString());
    }

    @Override
    public void close() throws IOException, InterruptedException {
        // lazily: a child process killed by a failed assertion may still hold a file open
        run("umount", "-l", mountPoint.toString());
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        boolean ended = process.waitFor(60, TimeUnit.SECONDS);
        if (!ended || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", List.of(command)) + " failed (" + (ended ? "exit code "
                    + process.exitValue() : "no end within 60 s") + "): " + output + "; a full-disk test mounts a"
                    + " tmpfs and needs root, as CI runs the suite (user " + System.getProperty("user.name") + ")");
        }
    }
}
