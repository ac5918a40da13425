package emr;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What a run submitted to EMR, written to {@code <data.dir>/state/emr-<runId>.json} before the wait starts, so that an
 * app restarted mid-run finds the step for the same Parquet and waits on it instead of submitting it again.
 *
 * @param createdCluster whether this app created the cluster (and so must terminate it)
 */
public record EmrRunState(String runId, String parquetUri, String clusterId, String stepId, boolean createdCluster) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static Path file(Path stateDir, String runId) {
        return stateDir.resolve("emr-" + runId.replaceAll("[^A-Za-z0-9._-]", "_") + ".json");
    }

    /** Written to a temporary file first and moved into place, so a crash never leaves half a file. */
    public void write(Path stateDir) {
        try {
            Files.createDirectories(stateDir);
            Path target = file(stateDir, runId);
            Path tmp = Files.createTempFile(stateDir, "emr-", ".tmp");
            JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), this);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write EMR run state to " + stateDir, e);
        }
    }

    public void delete(Path stateDir) {
        try {
            Files.deleteIfExists(file(stateDir, runId));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete EMR run state " + file(stateDir, runId), e);
        }
    }

    /** The state left for this run id, or else for the same Parquet URI by any earlier run. */
    public static Optional<EmrRunState> find(Path stateDir, String runId, String parquetUri) {
        Path own = file(stateDir, runId);
        if (Files.isRegularFile(own)) {
            return Optional.of(read(own));
        }
        if (!Files.isDirectory(stateDir)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(stateDir)) {
            return files.filter(f -> f.getFileName().toString().matches("emr-.*\\.json"))
                    .sorted()
                    .map(EmrRunState::read)
                    .filter(s -> parquetUri.equals(s.parquetUri()))
                    .findFirst();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list EMR run state in " + stateDir, e);
        }
    }

    static EmrRunState read(Path file) {
        try {
            return JSON.readValue(file.toFile(), EmrRunState.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read EMR run state " + file + "; delete it to submit again", e);
        }
    }
}
