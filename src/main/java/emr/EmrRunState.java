package emr;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import lake.LoadRequest;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What a run did on EMR, in {@code <data.dir>/state/emr-<runId>.json}. Written before the cluster is created and again
 * after each step of the submission, so that a retry or an app restarted mid-run finds the cluster (by its run tag) and
 * the step instead of creating or submitting them again. A run resumes the state of its own run id, or of an earlier
 * run of the same input (same SHA-256); never one found by the Parquet's S3 key, which every run shares.
 *
 * @param inputSha256        SHA-256 of the run's input; null when unknown (then only the same run id resumes it)
 * @param clusterId          null until the cluster is known
 * @param stepId             null until the step is submitted
 * @param createdCluster     whether this app created the cluster (and so must terminate it)
 * @param startedAtMillis    when the state was first written: a step created before it belongs to someone else
 * @param terminationPending the run is over but terminating its cluster failed; the next start retries it
 * @param convertSpecUri     when the job converts a CSV ({@code pipeline.convert.on}), its convert spec; else null
 * @param rejectsUri         with {@code convertSpecUri}: where the job writes the rejected rows
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record EmrRunState(String runId, String inputSha256, String parquetUri, String clusterId, String stepId,
                          boolean createdCluster, long startedAtMillis, boolean terminationPending,
                          String convertSpecUri, String rejectsUri) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The state of a run that has not touched EMR yet. */
    public static EmrRunState begin(String runId, String inputSha256, String parquetUri) {
        return begin(runId, inputSha256, parquetUri, null);
    }

    /** The same, for an input the job converts as a CSV ({@code csv} non-null). */
    public static EmrRunState begin(String runId, String inputSha256, String parquetUri, LoadRequest.CsvInput csv) {
        return new EmrRunState(runId, inputSha256, parquetUri, null, null, false, System.currentTimeMillis(), false,
                csv == null ? null : csv.specUri(), csv == null ? null : csv.rejectsUri());
    }

    public EmrRunState withCluster(String id, boolean created) {
        return new EmrRunState(runId, inputSha256, parquetUri, id, stepId, created, startedAtMillis, false,
                               convertSpecUri, rejectsUri);
    }

    public EmrRunState withStep(String id) {
        return new EmrRunState(runId, inputSha256, parquetUri, clusterId, id, createdCluster, startedAtMillis, false,
                               convertSpecUri, rejectsUri);
    }

    public EmrRunState withTerminationPending() {
        return new EmrRunState(runId, inputSha256, parquetUri, clusterId, stepId, createdCluster, startedAtMillis,
                               true, convertSpecUri, rejectsUri);
    }

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

    /**
     * The state this run resumes: its own, or else the one an earlier run left for the same input SHA-256. A state
     * whose only remaining work is a termination is never resumed.
     */
    public static Optional<EmrRunState> find(Path stateDir, String runId, String inputSha256) {
        Path own = file(stateDir, runId);
        if (Files.isRegularFile(own)) {
            return Optional.of(read(own)).filter(s -> !s.terminationPending());
        }
        if (inputSha256 == null) {
            return Optional.empty();
        }
        return all(stateDir).stream()
                .filter(s -> !s.terminationPending() && inputSha256.equals(s.inputSha256()))
                .findFirst();
    }

    /** Every state file in the directory, oldest run first. */
    public static List<EmrRunState> all(Path stateDir) {
        if (!Files.isDirectory(stateDir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(stateDir)) {
            return files.filter(f -> f.getFileName().toString().matches("emr-.*\\.json"))
                    .map(EmrRunState::read)
                    .sorted(java.util.Comparator.comparingLong(EmrRunState::startedAtMillis))
                    .toList();
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
