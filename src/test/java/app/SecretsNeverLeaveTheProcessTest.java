package app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import support.ApplicationProcess;
import support.CsvHttpServer;
import support.CsvHttpServer.Response;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real application, given a token in the source URL's query, a password in its user-info, a token in a source
 * header and a secret in a Spark {@code --conf}, loads the source (so each secret was used) and then none of them is
 * found in its logs, its data folder or its run reports: a successful poll, "not modified" polls, a failing one-shot.
 */
class SecretsNeverLeaveTheProcessTest {

    private static final String QUERY_TOKEN = "SECRET123";
    private static final String PASSWORD = "PASSWORD789";
    private static final String HEADER_TOKEN = "HDRSECRET456";
    private static final String SPARK_SECRET = "SPARKSECRET321";
    private static final List<String> SECRETS = List.of(QUERY_TOKEN, PASSWORD, HEADER_TOKEN, SPARK_SECRET);

    private final CsvHttpServer server = CsvHttpServer.bind();

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void noSecretInLogsDataOrReports() throws Exception {
        String csv = Files.readString(Path.of("samples/products.csv"));
        // only a request carrying every secret gets the CSV: the app must send them, then never print them
        server.serve("/products.csv", request -> authorized(request)
                ? ("\"v1\"".equals(request.header("If-None-Match"))
                        ? Response.notModified().withHeader("ETag", "\"v1\"")
                        : Response.csv(csv).withHeader("ETag", "\"v1\""))
                : Response.status(401));
        server.serve("/broken.csv", request -> Response.status(500));
        server.start();
        String base = server.url("/").replace("http://", "http://alice:" + PASSWORD + "@");
        Path dataDir = Files.createDirectories(Path.of("target", "test-data"))
                .resolve("SecretsNeverLeaveTheProcessTest-" + System.nanoTime()).toAbsolutePath();
        List<String> common = List.of(
                "-Dpipeline.source.headers=X-Api-Token=" + HEADER_TOKEN,
                "-Dpipeline.spark.conf=spark.hadoop.fs.s3a.secret.key=" + SPARK_SECRET + ",spark.ui.enabled=false",
                "-Dpipeline.inbox.enabled=false",
                "-Dpipeline.errors.maximumRedeliveries=1",
                "-Dpipeline.errors.redeliveryDelay=50ms");

        List<String> daemon = new ArrayList<>(common);
        daemon.add("-Dpipeline.source.url=" + base + "products.csv?token=" + QUERY_TOKEN);
        daemon.add("-Dpipeline.source.pollInterval=1s");
        // three polls: the load, then two answered "not modified"
        daemon.add("-Dcamel.main.durationMaxMessages=3");
        ApplicationProcess.Result polling = ApplicationProcess.run(dataDir, daemon, Map.of(), Duration.ofSeconds(90));

        List<String> once = new ArrayList<>(common);
        once.add("-Dpipeline.once=" + base + "broken.csv?token=" + QUERY_TOKEN);
        ApplicationProcess.Result failing = ApplicationProcess.run(dataDir, once, Map.of(), Duration.ofSeconds(90));

        assertEquals(1, failing.exitCode(), failing.output());
        List<JsonNode> reports = reports(dataDir);
        assertEquals(2, reports.size(), polling.output() + failing.output());
        assertEquals("SUCCEEDED", reports.get(0).path("status").asText(), reports.get(0).toString());
        assertEquals(20, reports.get(0).path("rowsWritten").asInt(), reports.get(0).toString());
        assertEquals("FAILED", reports.get(1).path("status").asText(), reports.get(1).toString());
        assertTrue(server.requests("/products.csv").stream().anyMatch(r -> r.status() == 304),
                "the poller must have been answered 'not modified' at least once: " + server.requests());
        String logs = polling.stdout() + polling.stderr() + failing.stdout() + failing.stderr();
        assertTrue(logs.contains("products.csv?***"), "the source URL is logged masked:\n" + logs);
        assertTrue(logs.contains("not modified"), logs);
        assertTrue(Files.readString(dataDir.resolve("state").resolve("http-source.properties")).contains("\"v1\""),
                "the state keeps the validators, keyed without the URL's secrets");

        for (String secret : SECRETS) {
            assertFalse(logs.contains(secret), secret + " is in the logs:\n" + logs);
            assertEquals(List.of(), filesHolding(dataDir, secret), secret + " is in files of the data folder");
        }
    }

    private static boolean authorized(CsvHttpServer.Request request) {
        return HEADER_TOKEN.equals(request.header("X-Api-Token"))
               && request.header("Authorization") != null
               && request.header("Authorization").startsWith("Basic ");
    }

    private static List<JsonNode> reports(Path dataDir) throws IOException {
        List<JsonNode> reports = new ArrayList<>();
        try (Stream<Path> files = Files.list(dataDir.resolve("runs"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
                reports.add(new ObjectMapper().readTree(file.toFile()));
            }
        }
        reports.sort(java.util.Comparator.comparing(r -> r.path("startedAt").asText()));
        return reports;
    }

    /** {@code grep -rl secret dataDir}: every file, binary ones too. */
    private static List<Path> filesHolding(Path dataDir, String secret) throws IOException {
        byte[] needle = secret.getBytes(StandardCharsets.UTF_8);
        List<Path> holding = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dataDir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                if (indexOf(Files.readAllBytes(file), needle) >= 0) {
                    holding.add(dataDir.relativize(file));
                }
            }
        }
        return holding;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
