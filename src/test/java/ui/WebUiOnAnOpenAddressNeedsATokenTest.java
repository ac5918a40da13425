package ui;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import support.ApplicationProcess;
import support.ApplicationProcess.Result;
import support.ApplicationProcess.Running;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bound to an address other than loopback, the service refuses to start while the web UI has no token, naming the
 * setting; given one in the environment ({@code PIPELINE_UI_TOKEN}), it starts and its pages need it.
 */
class WebUiOnAnOpenAddressNeedsATokenTest {

    private static final Duration LIMIT = Duration.ofSeconds(120);
    private static final Pattern LISTENING = Pattern.compile("Vert.x HttpServer started on [^:]+:(\\d+)");

    private Path dataDir;

    @BeforeEach
    void freshDataDir() throws IOException {
        Path root = Files.createDirectories(Path.of("target", "test-data"));
        dataDir = Files.createTempDirectory(root, getClass().getSimpleName() + "-").toAbsolutePath().resolve("data");
    }

    @Test
    void withoutATokenItRefusesToStartNamingTheSetting() throws Exception {
        Result result = ApplicationProcess.run(dataDir, List.of("-Dcamel.management.host=0.0.0.0"), Map.of(), LIMIT);

        assertEquals(2, result.exitCode(), result.output());
        assertTrue(result.stderr().contains("camel.management.host=0.0.0.0"), result.output());
        assertTrue(result.stderr().contains("pipeline.ui.token"), result.output());
        assertFalse(Files.exists(dataDir.resolve("warehouse")), "nothing was created");
    }

    @Test
    void withATokenFromTheEnvironmentItStartsAndThePagesNeedIt() throws Exception {
        String token = "open-address-token-51c7e0";
        Running app = ApplicationProcess.start(dataDir, List.of("-Dcamel.management.host=0.0.0.0"),
                Map.of("PIPELINE_UI_TOKEN", token));
        try {
            String port = await("the management server listening").atMost(LIMIT)
                    .until(() -> port(app.stdout()), found -> found != null);
            URI runs = URI.create("http://127.0.0.1:" + port + "/api/runs");
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> answered = await("the web UI answering").atMost(LIMIT).until(() -> http.send(
                    HttpRequest.newBuilder(runs).header("Authorization", "Bearer " + token).build(),
                    HttpResponse.BodyHandlers.ofString()), response -> response.statusCode() == 200);
            assertTrue(answered.body().contains("\"matching\":0"), answered.body());
            HttpResponse<String> refused = http.send(HttpRequest.newBuilder(runs).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(401, refused.statusCode(), refused.body());
            assertFalse(app.stdout().contains(token), "the token never logged");
        } finally {
            app.kill();
        }
    }

    private static String port(String log) {
        Matcher m = LISTENING.matcher(log);
        return m.find() ? m.group(1) : null;
    }
}
