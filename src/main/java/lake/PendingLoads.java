package lake;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import core.Printable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notes of loads in progress, one file per run ({@code <dir>/<runId>.pending} holding the location of each data file
 * the load writes, one a line: the converted file, and a merge's rewritten files): each written before its file is,
 * the note removed once the commit is done or the files deleted.
 */
final class PendingLoads {

    private static final String SUFFIX = ".pending";
    /** A note holds the locations of one load's files: anything larger was not written by a load. */
    private static final long MAX_NOTE_BYTES = 4L << 20;
    private static final Logger LOG = LoggerFactory.getLogger(PendingLoads.class);

    private final Path dir;

    PendingLoads(Path dir) {
        this.dir = dir;
    }

    record Entry(String runId, String location) {
    }

    void begin(String runId, String location) {
        write(runId, location);
    }

    /** Adds {@code location} to the note of run {@code runId}, starting one if there is none. */
    void add(String runId, String location) {
        Path note = dir.resolve(runId + SUFFIX);
        try {
            String noted = Files.isRegularFile(note) ? Files.readString(note, StandardCharsets.UTF_8).strip() : "";
            write(runId, noted.isEmpty() ? location : noted + "\n" + location);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot note the load of run " + runId + " in " + dir, e);
        }
    }

    private void write(String runId, String locations) {
        try {
            Files.createDirectories(dir);
            Path note = dir.resolve(runId + SUFFIX);
            Path partial = dir.resolve(runId + SUFFIX + ".tmp");
            Files.writeString(partial, locations, StandardCharsets.UTF_8);
            Files.move(partial, note, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot note the load of run " + runId + " in " + dir, e);
        }
    }

    void done(String runId) {
        try {
            Files.deleteIfExists(dir.resolve(runId + SUFFIX));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot remove the note of run " + runId + " in " + dir, e);
        }
    }

    Path dir() {
        return dir;
    }

    /** Whether no note is there, read or not. */
    boolean isEmpty() {
        if (!Files.isDirectory(dir)) {
            return true;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.noneMatch(f -> f.getFileName().toString().endsWith(SUFFIX));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the notes of loads in progress in " + dir, e);
        }
    }

    List<Entry> entries() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Entry> entries = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(SUFFIX)).sorted().toList()) {
                String name = file.getFileName().toString();
                // a link, a FIFO or a huge file is no note of ours: read, it could block or point anywhere
                if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) || Files.size(file) > MAX_NOTE_BYTES) {
                    LOG.warn("Ignored {}: not a note of a load in progress (a regular file of at most {} bytes)",
                            Printable.escape(file.toString()), MAX_NOTE_BYTES);
                    continue;
                }
                try {
                    String runId = name.substring(0, name.length() - SUFFIX.length());
                    for (String location : Files.readString(file, StandardCharsets.UTF_8).strip().split("\n")) {
                        if (!location.isBlank()) {
                            entries.add(new Entry(runId, location.strip()));
                        }
                    }
                } catch (IOException e) {
                    LOG.warn("Ignored {}: not a note of a load in progress ({})", Printable.escape(file.toString()),
                            e.toString());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the notes of loads in progress in " + dir, e);
        }
        return entries;
    }
}
