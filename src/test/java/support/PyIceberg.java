package support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * pyiceberg from the test {@code .venv} (scripts/setup-python.sh), reading a table the app wrote: another reader than
 * the app's own, and one that reads no equality deletes. A missing venv fails the test with the command that makes it.
 */
public final class PyIceberg {

    private static final Path SCRIPT = Path.of("src", "test", "python", "pyiceberg_rows.py").toAbsolutePath();

    private PyIceberg() {
    }

    /**
     * Every row of the Hadoop-catalog table {@code <warehouse>/<namespace>/<name>}, its current metadata file read by
     * pyiceberg, ordered by the first column, each value as text (null as null).
     */
    public static List<List<String>> rows(Path warehouse, String namespace, String name) throws Exception {
        Path metadata = warehouse.resolve(namespace).resolve(name).resolve("metadata");
        String version = Files.readString(metadata.resolve("version-hint.text")).strip();
        return rows(metadata.resolve("v" + version + ".metadata.json").toString());
    }

    /** Every row of the table whose metadata file is {@code metadataLocation}. */
    public static List<List<String>> rows(String metadataLocation) throws Exception {
        Path python = Path.of(".venv", "bin", "python").toAbsolutePath();
        if (!Files.isExecutable(python)) {
            throw new AssertionError(python + " is missing: run bash scripts/setup-python.sh");
        }
        Path out = Files.createTempFile("pyiceberg-rows-", ".txt");
        try {
            Process process = new ProcessBuilder(python.toString(), SCRIPT.toString(), metadataLocation)
                    .redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("pyiceberg did not read " + metadataLocation + " within 120 s");
            }
            List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new AssertionError("pyiceberg failed reading " + metadataLocation + ":\n"
                        + String.join("\n", lines));
            }
            ObjectMapper json = new ObjectMapper();
            List<List<String>> rows = new ArrayList<>();
            for (String line : lines) {
                List<String> row = new ArrayList<>();
                for (JsonNode value : json.readTree(line)) {
                    row.add(value.isNull() ? null : value.asText());
                }
                rows.add(row);
            }
            return rows;
        } catch (IOException e) {
            throw new AssertionError("pyiceberg could not be run: " + e.getMessage(), e);
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
