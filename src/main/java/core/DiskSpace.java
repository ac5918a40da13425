package core;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A full disk, as the JDK reports it (an {@link IOException} saying "No space left on device", or the quota's "Disk
 * quota exceeded"), and the words that say where and how much is free, so that a failure names the path it could
 * not write and the space left on its file system.
 */
public final class DiskSpace {

    private DiskSpace() {
    }

    /** Whether {@code failure}, or what caused it, is a write refused for want of space. */
    public static boolean isFull(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof IOException && saysFull(t.getMessage())) {
                return true;
            }
            for (Throwable suppressed : t.getSuppressed()) {
                if (suppressed instanceof IOException && saysFull(suppressed.getMessage())) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean saysFull(String message) {
        return message != null && (message.contains("No space left on device") || message.contains("Disk quota"
                + " exceeded") || message.contains("not enough space on the disk"));
    }

    /** {@code "12.0 KB free of 5.0 MB on the file system of <path>"}, or why that cannot be known. */
    public static String describe(Path path) {
        Path existing = path.toAbsolutePath();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return "free space unknown (" + path + " does not exist)";
        }
        try {
            FileStore store = Files.getFileStore(existing);
            return size(store.getUsableSpace()) + " free of " + size(store.getTotalSpace()) + " on the file system of "
                   + path;
        } catch (IOException e) {
            return "free space unknown (" + e.getMessage() + ")";
        }
    }

    private static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " bytes";
        }
        String[] units = {"KB", "MB", "GB", "TB"};
        double value = bytes / 1024.0;
        int unit = 0;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}
