package lake;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Notes of loads in progress, one file per run ({@code <dir>/<runId>.pending} holding the data file's location):
 * written before the data file is copied into the table, removed once the commit is done or the copy deleted.
 */
final class PendingLoads {

    private static final String SUFFIX = ".pending";

    private final Path dir;

    PendingLoads(Path dir) {
        this.dir = dir;
    }

    record Entry(String runId, String location) {
    }

    void begin(String runId, String location) {
        try {
            Files.createDirectories(dir);
            Path note = dir.resolve(runId + SUFFIX);
            Path partial = dir.resolve(runId + SUFFIX + ".tmp");
            Files.writeString(partial, location, StandardCharsets.UTF_8);
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

    boolean isEmpty() {
        return entries().isEmpty();
    }

    List<Entry> entries() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Entry> entries = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(SUFFIX)).sorted().toList()) {
                String name = file.getFileName().toString();
                entries.add(new Entry(name.substring(0, name.length() - SUFFIX.length()),
                        Files.readString(file, StandardCharsets.UTF_8).strip()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the notes of loads in progress in " + dir, e);
        }
        return entries;
    }
}
