package app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import support.ApplicationProcess;
import support.CsvHttpServer;
import support.CsvHttpServer.Response;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real application at DEBUG and at TRACE, its source headers given by {@code -D} or by the environment, with a
 * token written out and one through {@code {{env:...}}}, loads a source that answers only when both are sent; no
 * line it prints holds either token, although Camel's properties component and the HTTP client write each setting,
 * each function's result and each header they handle.
 */
class SecretsStayMaskedAtDebugAndTraceTest {

    private static final String LITERAL_TOKEN = "LITERALTOKEN8841";
    private static final String FUNCTION_TOKEN = "FUNCTIONTOKEN5127";
    private static final String HEADERS = "Authorization=Bearer {{env:UPSTREAM_BEARER}},X-Api-Key=" + LITERAL_TOKEN;

    private final CsvHttpServer server = CsvHttpServer.bind();

    @AfterEach
    void stopServer() {
        server.close();
    }

    @ParameterizedTest(name = "{0}, headers from {1}")
    @CsvSource({"DEBUG, system property", "DEBUG, environment", "TRACE, system property", "TRACE, environment"})
    void noTokenInAnyLine(String level, String headersFrom) throws Exception {
        String csv = Files.readString(Path.of("samples/products.csv"));
        server.serve("/products.csv", request -> ("Bearer " + FUNCTION_TOKEN).equals(request.header("Authorization"))
                                                 && LITERAL_TOKEN.equals(request.header("X-Api-Key"))
                ? Response.csv(csv) : Response.status(401));
        server.start();
        Path dataDir = Files.createDirectories(Path.of("target", "test-data"))
                .resolve("SecretsStayMaskedAtDebugAndTraceTest-" + System.nanoTime()).toAbsolutePath();
        List<String> arguments = new ArrayList<>(List.of(
                "-Dlogging.level.root=" + level,
                "-Dpipeline.once=" + server.url("/products.csv"),
                "-Dpipeline.errors.maximumRedeliveries=0"));
        Map<String, String> environment = new HashMap<>(Map.of("UPSTREAM_BEARER", FUNCTION_TOKEN));
        if (headersFrom.equals("environment")) {
            environment.put("PIPELINE_SOURCE_HEADERS", HEADERS);
        } else {
            arguments.add("-Dpipeline.source.headers=" + HEADERS);
        }

        ApplicationProcess.Result result = ApplicationProcess.run(dataDir, arguments, environment,
                Duration.ofSeconds(180));

        String logs = result.stdout() + result.stderr();
        assertEquals(0, result.exitCode(), "the source must have been sent both tokens: " + tail(logs));
        assertTrue(logs.contains("Found " + (headersFrom.equals("environment") ? "an OS environment" : "a JVM system")
                                 + " property: pipeline.source.headers with value: "),
                "Camel's properties component must have shown the setting: " + tail(logs));
        assertTrue(logs.contains("applied by function [env] -> ***"), "and the function's result, masked");
        for (String token : List.of(LITERAL_TOKEN, FUNCTION_TOKEN)) {
            List<String> holding = logs.lines().filter(line -> line.contains(token)).limit(5).toList();
            assertEquals(List.of(), holding, token + " is in the " + level + " log");
        }
    }

    private static String tail(String logs) {
        List<String> lines = logs.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }
}
