package run;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The dropped files whose runs failed, kept in the inbox's {@code .failed/} beside their {@code <name>.error.json}
 * ({@link RunReporter}), and their retry: moved back into the inbox, as a user would move them by hand. A retry never
 * loads rows twice: an input whose rows the table holds already ends SKIPPED.
 */
public final class FailedInputs {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SIDECAR = ".error.json";
    private static final String FOLDER = ".failed";

    private FailedInputs() {
    }

    /** A failed input: its name in {@code .failed/}, the name it takes back in the inbox, and its sidecar's story. */
    public record FailedInput(String name, String inboxName, String runId, String stage, String reason) {
    }

    /** The failed inputs of {@code inbox}, newest first; a file without its sidecar is not one (nothing says why). */
    public static List<FailedInput> of(Path inbox) throws IOException {
        Path failed = inbox.resolve(FOLDER);
        if (!Files.isDirectory(failed)) {
            return List.of();
        }
        List<Path> sidecars;
        try (Stream<Path> files = Files.list(failed)) {
            sidecars = files.filter(f -> f.getFileName().toString().endsWith(SIDECAR))
                    .sorted(Comparator.comparing(FailedInputs::modified).reversed()).toList();
        }
        List<FailedInput> inputs = new ArrayList<>();
        for (Path sidecar : sidecars) {
            String sidecarName = sidecar.getFileName().toString();
            String name = sidecarName.substring(0, sidecarName.length() - SIDECAR.length());
            if (Files.exists(failed.resolve(name), LinkOption.NOFOLLOW_LINKS)) {
                read(failed, name).ifPresent(inputs::add);
            }
        }
        return inputs;
    }

    /** The failed input {@code name} of {@code inbox}, if it is one. */
    public static Optional<FailedInput> find(Path inbox, String name) throws IOException {
        Path failed = inbox.resolve(FOLDER);
        if (!isPlainName(name) || !Files.exists(failed.resolve(name), LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        return read(failed, name);
    }

    /**
     * Moves the failed input {@code name} back into {@code inbox} under the name it was dropped with, where the inbox
     * reads it again; its sidecar goes, the run's report keeps the failure. Returns the file in the inbox.
     */
    public static Path retry(Path inbox, String name) throws IOException {
        FailedInput input = find(inbox, name).orElseThrow(() -> new IllegalArgumentException(
                "no failed input " + name + " in " + inbox.resolve(FOLDER)));
        Path target = inbox.resolve(input.inboxName());
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new FileAlreadyExistsException(target.toString(), null, "a file of that name waits in the inbox");
        }
        Path failed = inbox.resolve(FOLDER);
        Files.move(failed.resolve(name), target, StandardCopyOption.ATOMIC_MOVE);
        Files.deleteIfExists(failed.resolve(name + SIDECAR));
        return target;
    }

    private static Optional<FailedInput> read(Path failed, String name) {
        JsonNode sidecar;
        try {
            sidecar = JSON.readTree(failed.resolve(name + SIDECAR).toFile());
        } catch (IOException e) {
            return Optional.empty();
        }
        String runId = sidecar.path("runId").asText("");
        // kept beside an earlier input of its name, or under a shortened one: <name>.<runId>
        String inboxName = !runId.isEmpty() && name.endsWith("." + runId)
                ? name.substring(0, name.length() - runId.length() - 1) : name;
        return Optional.of(new FailedInput(name, inboxName, runId, sidecar.path("stage").asText(""),
                sidecar.path("reason").asText("")));
    }

    private static boolean isPlainName(String name) {
        return name != null && !name.isEmpty() && !name.contains("/") && !name.contains("\\") && !name.equals(".")
               && !name.equals("..") && !name.endsWith(SIDECAR) && name.indexOf('\0') < 0;
    }

    private static long modified(Path file) {
        try {
            return Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }
}
