package run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

import core.DataDirLayout;
import config.ConfigurationException;
import org.apache.camel.support.service.ServiceSupport;

/**
 * {@code <data.dir>/.lock}: one process at a time on a data dir, since two would load the same inbox, state and table.
 * The lock is the operating system's, so a crashed process releases it; the file names the process that holds it. The
 * first step of the start-up: taken when the service starts, released when it stops.
 */
public final class DataDirLock extends ServiceSupport {

    private final Path dataDir;
    private FileChannel channel;
    private FileLock lock;

    public DataDirLock(Path dataDir) {
        this.dataDir = dataDir;
    }

    /** Takes the data dir, or fails naming the process that holds it. */
    @Override
    protected void doStart() {
        Path file = DataDirLayout.lockFile(dataDir);
        FileChannel channel = null;
        try {
            Files.createDirectories(dataDir);
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                String holder = Files.readString(file, StandardCharsets.UTF_8).strip();
                channel.close();
                throw new ConfigurationException("pipeline.data.dir " + dataDir.toAbsolutePath() + " is in use by "
                        + (holder.isEmpty() ? "another process" : holder) + " (lock file " + file.toAbsolutePath()
                        + "); stop that process or set pipeline.data.dir to another folder");
            }
            ProcessHandle self = ProcessHandle.current();
            String holder = "s3tables-pipeline process " + self.pid() + " started at "
                    + self.info().startInstant().orElse(Instant.now());
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((holder + "\n").getBytes(StandardCharsets.UTF_8)), 0);
            channel.force(false);
            this.channel = channel;
            this.lock = lock;
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UncheckedIOException("Cannot lock the data dir " + dataDir.toAbsolutePath() + " through "
                    + file.toAbsolutePath(), e);
        }
    }

    @Override
    protected void doStop() {
        if (channel == null) {
            return;
        }
        try {
            if (lock.isValid()) {
                channel.truncate(0);
                lock.release();
            }
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot release the data dir lock", e);
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // the lock, if any, goes with the channel
            }
        }
    }
}
