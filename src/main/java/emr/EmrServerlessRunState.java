package emr;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import lake.LoadRequest;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What a run did on EMR Serverless, in {@code <data.dir>/state/emrserverless-<runId>.json}: written before
 * StartJobRun (with the client token that makes it idempotent) and again once the job run is known, so that a retry
 * or an app restarted mid-run waits on the job run instead of starting a second one, and an application the app
 * started is stopped even when the process that started it died.
 *
 * @param inputSha256        SHA-256 of the run's input; null when unknown (then only the same run id resumes it)
 * @param applicationId      null until the application is known
 * @param startedApplication whether this app started the application (and so stops it once nothing uses it)
 * @param clientToken        StartJobRun's idempotency token: sent again, it answers the same job run
 * @param jobRunId           null until StartJobRun answered
 * @param stopPending        the run is over but stopping its application failed; the next start retries it
 * @param convertSpecUri     when the job converts a CSV ({@code pipeline.convert.on}), its convert spec; else null
 * @param rejectsUri         with {@code convertSpecUri}: where the job writes the rejected rows
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record EmrServerlessRunState(String runId, String inputSha256, String parquetUri, String applicationId,
                                    boolean startedApplication, String clientToken, String jobRunId,
                                    long startedAtMillis, boolean stopPending, String convertSpecUri,
                                    String rejectsUri) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PREFIX = "emrserverless-";

    /** The state of a run that has not touched EMR Serverless yet. */
    public static EmrServerlessRunState begin(String runId, String inputSha256, String parquetUri) {
        return begin(runId, inputSha256, parquetUri, null);
    }

    /** The same, for an input the job converts as a CSV ({@code csv} non-null). */
    public static EmrServerlessRunState begin(String runId, String inputSha256, String parquetUri,
                                              LoadRequest.CsvInput csv) {
        return new EmrServerlessRunState(runId, inputSha256, parquetUri, null, false, UUID.randomUUID().toString(),
                                         null, System.currentTimeMillis(), false,
                                         csv == null ? null : csv.specUri(), csv == null ? null : csv.rejectsUri());
    }

    public EmrServerlessRunState withApplication(String id, boolean started) {
        return new EmrServerlessRunState(runId, inputSha256, parquetUri, id, started, clientToken, jobRunId,
                                         startedAtMillis, false, convertSpecUri, rejectsUri);
    }

    public EmrServerlessRunState withJobRun(String id) {
        return new EmrServerlessRunState(runId, inputSha256, parquetUri, applicationId, startedApplication,
                                         clientToken, id, startedAtMillis, false, convertSpecUri, rejectsUri);
    }

    public EmrServerlessRunState withStopPending() {
        return new EmrServerlessRunState(runId, inputSha256, parquetUri, applicationId, startedApplication,
                                         clientToken, jobRunId, startedAtMillis, true, convertSpecUri,
                                         rejectsUri);
    }

    public static Path file(Path stateDir, String runId) {
        return stateDir.resolve(PREFIX + runId.replaceAll("[^A-Za-z0-9._-]", "_") + ".json");
    }

    /** Written to a temporary file first and moved into place, so a crash never leaves half a file. */
    public void write(Path stateDir) {
        try {
            Files.createDirectories(stateDir);
            Path tmp = Files.createTempFile(stateDir, PREFIX, ".tmp");
            JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), this);
            Files.move(tmp, file(stateDir, runId), StandardCopyOption.REPLACE_EXISTING,
                       StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write EMR Serverless run state to " + stateDir, e);
        }
    }

    public void delete(Path stateDir) {
        try {
            Files.deleteIfExists(file(stateDir, runId));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete EMR Serverless run state " + file(stateDir, runId), e);
        }
    }

    /** The state this run resumes: its own, or else one an earlier run left for the same input SHA-256. */
    public static Optional<EmrServerlessRunState> find(Path stateDir, String runId, String inputSha256) {
        Path own = file(stateDir, runId);
        if (Files.isRegularFile(own)) {
            return Optional.of(read(own)).filter(s -> !s.stopPending());
        }
        if (inputSha256 == null) {
            return Optional.empty();
        }
        return all(stateDir).stream()
                .filter(s -> !s.stopPending() && inputSha256.equals(s.inputSha256()))
                .findFirst();
    }

    /** Every state file in the directory, oldest run first. */
    public static List<EmrServerlessRunState> all(Path stateDir) {
        if (!Files.isDirectory(stateDir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(stateDir)) {
            return files.filter(f -> f.getFileName().toString().matches(PREFIX + ".*\\.json"))
                    .map(EmrServerlessRunState::read)
                    .sorted(Comparator.comparingLong(EmrServerlessRunState::startedAtMillis))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list EMR Serverless run state in " + stateDir, e);
        }
    }

    static EmrServerlessRunState read(Path file) {
        try {
            return JSON.readValue(file.toFile(), EmrServerlessRunState.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read EMR Serverless run state " + file
                                           + "; delete it to start the job again", e);
        }
    }
}
