package emr;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.athena.AthenaClient;
import software.amazon.awssdk.services.emr.EmrClient;
import software.amazon.awssdk.services.emrserverless.EmrServerlessClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * JUnit extension that starts scripts/moto/aws_harness.py once per test run (moto's server plus the step and query
 * controller, both on 127.0.0.1) and injects it into tests. Fails, never skips, when moto cannot be imported.
 */
public final class MotoHarness implements BeforeAllCallback, ParameterResolver, ExtensionContext.Store.CloseableResource {

    public static final String REGION = "us-east-1";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static volatile MotoHarness current;

    private Process process;
    private Path stderr;
    private URI endpoint;
    private URI control;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        harness(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == MotoHarness.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return harness(context);
    }

    private static MotoHarness harness(ExtensionContext context) {
        return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(MotoHarness.class, k -> {
                    MotoHarness harness = new MotoHarness();
                    harness.start();
                    current = harness;
                    return harness;
                }, MotoHarness.class);
    }

    private void start() {
        // the SDK's default credentials chain and region, pointed at nothing real
        System.setProperty("aws.accessKeyId", "testing");
        System.setProperty("aws.secretAccessKey", "testing");
        System.setProperty("aws.region", REGION);
        String python = python();
        Path script = Path.of("scripts", "moto", "aws_harness.py").toAbsolutePath();
        try {
            Process check = new ProcessBuilder(python, "-c", "import moto.server, flask, werkzeug")
                    .redirectErrorStream(true).start();
            String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!check.waitFor(60, TimeUnit.SECONDS) || check.exitValue() != 0) {
                throw new IllegalStateException("moto[server] is not importable by " + python
                                                + "; run scripts/setup-python.sh first.\n" + output);
            }
            stderr = Files.createTempFile("moto-harness-", ".log");
            process = new ProcessBuilder(python, script.toString())
                    .redirectError(stderr.toFile())
                    .start();
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                                                                          StandardCharsets.UTF_8));
            String line = out.readLine();
            if (line == null) {
                throw new IllegalStateException("the moto harness " + script + " exited before it was ready:\n"
                                                + Files.readString(stderr));
            }
            JsonNode ports = JSON.readTree(line);
            endpoint = URI.create("http://127.0.0.1:" + ports.get("motoPort").asInt());
            control = URI.create("http://127.0.0.1:" + ports.get("controlPort").asInt());
            get(control.resolve("/control/ping"));
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the moto harness with " + python
                                            + "; run scripts/setup-python.sh first", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String python() {
        Path venv = Path.of(".venv", "bin", "python");
        return Files.isExecutable(venv) ? venv.toAbsolutePath().toString() : "python3";
    }

    /** Closing its stdin ends the harness; it is killed if it does not go. */
    @Override
    public void close() throws Exception {
        if (process != null) {
            process.getOutputStream().close();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    /**
     * The running harness, for tests whose properties are read before JUnit can pass it as a parameter (the Camel
     * test support configures the context in its constructor, after this extension's beforeAll).
     */
    public static MotoHarness current() {
        if (current == null) {
            throw new IllegalStateException("the moto harness is not started: annotate the test with"
                                            + " @ExtendWith(MotoHarness.class)");
        }
        return current;
    }

    public URI endpoint() {
        return endpoint;
    }

    public EmrClient emr() {
        return EmrClient.builder().region(Region.of(REGION)).endpointOverride(endpoint).build();
    }

    public EmrServerlessClient emrServerless() {
        return EmrServerlessClient.builder().region(Region.of(REGION)).endpointOverride(endpoint).build();
    }

    public S3Client s3() {
        return S3Client.builder().region(Region.of(REGION)).endpointOverride(endpoint).forcePathStyle(true).build();
    }

    public AthenaClient athena() {
        return AthenaClient.builder().region(Region.of(REGION)).endpointOverride(endpoint).build();
    }

    /** The table bucket the aws-profile tests load into (moto does not check that it exists). */
    public static final String TABLE_BUCKET_ARN = "arn:aws:s3tables:us-east-1:123456789012:bucket/ecommerce-lakehouse";

    /**
     * The aws profile's settings that point the app at this moto: S3 (path style, the bucket created), the table
     * bucket, EMR with the repository's job script, Athena; the waits are each test's own.
     */
    public Properties awsProfileProperties() {
        String url = endpoint.toString();
        Properties p = new Properties();
        p.setProperty("pipeline.s3.endpoint", url);
        p.setProperty("pipeline.s3.region", REGION);
        p.setProperty("pipeline.s3.pathStyle", "true");
        p.setProperty("pipeline.s3.createBucket", "true");
        p.setProperty("pipeline.s3tables.tableBucketArn", TABLE_BUCKET_ARN);
        p.setProperty("pipeline.emr.endpoint", url);
        p.setProperty("pipeline.emr.region", REGION);
        p.setProperty("pipeline.emr.scriptPath", Path.of("pyspark", "load_to_iceberg.py").toAbsolutePath().toString());
        p.setProperty("pipeline.athena.endpoint", url);
        p.setProperty("pipeline.athena.region", REGION);
        return p;
    }

    /** Empties moto and puts the controller back to its defaults (steps left RUNNING, queries succeed). */
    public void reset() {
        post(endpoint.resolve("/moto-api/reset"), "");
        post(control.resolve("/control/reset"), "");
    }

    /** What happens to every new EMR step: complete, fail or manual, with options such as reason or snapshotId. */
    public void emrMode(String mode, Map<String, String> options) {
        post(control.resolve("/control/emr/mode?mode=" + mode + query(options)), "");
    }

    /**
     * Every new EMR step really runs with the venv's local Spark, the S3 Tables catalog replaced by a Hadoop catalog in
     * {@code warehouse}; stdout.gz and stderr.gz land under the cluster's logUri, the exit code decides the state.
     */
    public void runStepsWithLocalSpark(Path warehouse, Path icebergJar) {
        runStepsWithLocalSpark(warehouse, icebergJar, 0);
    }

    /**
     * The same, but the next {@code failAfterRun} steps whose job ended well (committed) are FAILED all the same, as
     * EMR fails a step whose container YARN killed once the job was done.
     */
    public void runStepsWithLocalSpark(Path warehouse, Path icebergJar, int failAfterRun) {
        emrMode("spark", Map.of("warehouse", warehouse.toAbsolutePath().toString(),
                                "jars", icebergJar.toAbsolutePath().toString(),
                                "failAfterRun", String.valueOf(failAfterRun)));
    }

    /**
     * Every new step runs on local Spark with its S3 Tables catalog replaced by the Iceberg REST catalog at
     * {@code restUri} (the step's own warehouse, the table bucket ARN, is kept); the jars must bring the Iceberg
     * Spark runtime and iceberg-aws-bundle (S3FileIO).
     */
    public void runStepsWithLocalSparkOnRestCatalog(java.net.URI restUri, Path... jars) {
        emrMode("spark", Map.of("rest", restUri.toString(), "jars", java.util.Arrays.stream(jars)
                .map(jar -> jar.toAbsolutePath().toString()).collect(Collectors.joining(","))));
    }

    public void finishStep(String clusterId, String stepId, String state) {
        post(control.resolve("/control/steps/" + clusterId + "/" + stepId + "?state=" + state), "");
    }

    /** Puts a cluster into TERMINATED_WITH_ERRORS with the given reason, as a failed bootstrap would. */
    public void terminateWithErrors(String clusterId, String message) {
        post(control.resolve("/control/clusters/" + clusterId + "?state=TERMINATED_WITH_ERRORS"
                             + query(Map.of("message", message))), "");
    }

    /**
     * The next {@code count} EMR calls of {@code action} (RunJobFlow, DescribeStep, TerminateJobFlows...) answer an
     * AWS error: {@code status} 5xx is ServiceUnavailable, 400 is ThrottlingException; {@code afterAction} runs the
     * action first, as when the response is lost on its way back.
     */
    public void emrFault(String action, int count, int status, boolean afterAction) {
        post(control.resolve("/control/faults?action=" + action + "&count=" + count + "&status=" + status
                             + "&after=" + afterAction), "");
    }

    /** How many injected errors of {@code action} were served so far. */
    public int emrFaultsServed(String action) {
        JsonNode fault = get(control.resolve("/control/faults")).get(action);
        return fault == null ? 0 : fault.get("served").asInt();
    }

    /** How many times moto was asked EMR's {@code action} (DescribeStep...) since the last reset. */
    public int emrCalls(String action) {
        JsonNode calls = get(control.resolve("/control/emr/calls")).get(action);
        return calls == null ? 0 : calls.asInt();
    }

    /** Every RunJobFlow request moto received, as moto parsed it, by cluster id. */
    public JsonNode runJobFlowRequests() {
        return get(control.resolve("/control/emr/run-job-flow"));
    }

    /**
     * What happens to every new EMR Serverless job run: complete (SUCCESS with a LOAD_SUMMARY in the driver's
     * stdout), fail (FAILED, with message and stderr), manual (RUNNING until {@link #finishJobRun} or cancelled).
     */
    public void emrServerlessMode(String mode, Map<String, String> options) {
        post(control.resolve("/control/emrserverless/mode?mode=" + mode + query(options)), "");
    }

    /**
     * Every new EMR Serverless job run really runs with the venv's local Spark, as steps do with
     * {@link #runStepsWithLocalSpark(Path, Path)}: RUNNING while it runs, killed when cancelled.
     */
    public void runJobRunsWithLocalSpark(Path warehouse, Path icebergJar) {
        emrServerlessMode("spark", Map.of("warehouse", warehouse.toAbsolutePath().toString(),
                                          "jars", icebergJar.toAbsolutePath().toString()));
    }

    public void finishJobRun(String applicationId, String jobRunId, String state) {
        post(control.resolve("/control/emrserverless/jobruns/" + applicationId + "/" + jobRunId + "?state="
                             + state), "");
    }

    /** How many times the EMR Serverless backend was asked {@code action} (StartJobRun...) since the last reset. */
    public int emrServerlessCalls(String action) {
        JsonNode calls = get(control.resolve("/control/emrserverless/calls")).get(action);
        return calls == null ? 0 : calls.asInt();
    }

    /** What happens to every new Athena query: succeed, fail (with reason) or hang. */
    public void athenaMode(String mode, Map<String, String> options) {
        post(control.resolve("/control/athena/mode?mode=" + mode + query(options)), "");
    }

    /** Queues one query result: the header row first, as Athena returns it, then the rows. */
    public void queueAthenaResult(List<String> columns, List<List<String>> rows) {
        List<Object> all = new ArrayList<>();
        all.add(Map.of("Data", columns.stream().map(c -> Map.of("VarCharValue", c)).toList()));
        for (List<String> row : rows) {
            all.add(Map.of("Data", row.stream().map(v -> v == null ? Map.of() : Map.of("VarCharValue", v)).toList()));
        }
        Map<String, Object> body = Map.of("region", REGION, "results", List.of(Map.of(
                "rows", all,
                "column_info", columns.stream().map(c -> Map.of("Name", c, "Label", c, "Type", "varchar")).toList())));
        try {
            post(endpoint.resolve("/moto-api/static/athena/query-results"), JSON.writeValueAsString(body));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The harness's own log, for failure messages. */
    public Optional<String> log() {
        try {
            return Optional.of(Files.readString(stderr));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static String query(Map<String, String> options) {
        return options.entrySet().stream()
                .map(e -> "&" + e.getKey() + "=" + java.net.URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining());
    }

    private static JsonNode post(URI uri, String body) {
        return send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static JsonNode get(URI uri) {
        return send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET().build());
    }

    private static JsonNode send(HttpRequest request) {
        try {
            HttpResponse<String> response;
            try {
                response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (IOException closedKeepAlive) {
                // the werkzeug servers may close an idle kept-alive connection under the client: once more, anew
                response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            }
            if (response.statusCode() >= 300) {
                throw new IllegalStateException(request.uri() + " answered " + response.statusCode() + ": "
                                                + response.body());
            }
            return response.body().isBlank() ? JSON.nullNode() : JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException(request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
