package support;

import java.io.IOException;
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
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.athena.AthenaClient;
import software.amazon.awssdk.services.athena.model.Datum;
import software.amazon.awssdk.services.athena.model.QueryExecutionState;
import software.amazon.awssdk.services.athena.model.QueryExecutionStatus;
import software.amazon.awssdk.services.athena.model.Row;
import software.amazon.awssdk.services.s3.S3Client;

import static org.awaitility.Awaitility.await;

/**
 * JUnit extension that starts MiniStack (from the test .venv, through scripts/ministack/serve.py, on a 127.0.0.1 port
 * the system gives it) once per test run and stops it at the end: S3, S3 Tables with its Iceberg REST endpoint at
 * {@code /iceberg}, and an Athena that really runs the SQL through DuckDB. DuckDB loads its extensions from .venv/ministack-home, where
 * scripts/setup-python.sh links the extension wheels (nothing can be downloaded here). A missing MiniStack fails the
 * test, never skips it.
 */
public final class MiniStack implements BeforeAllCallback, AutoCloseable {

    public static final String REGION = "us-east-1";
    /** MiniStack's default account, the one every table bucket ARN names. */
    public static final String ACCOUNT = "000000000000";
    /** MiniStack's root access key id and secret. */
    public static final String ROOT_KEY = "test";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private static volatile MiniStack current;

    private final boolean auth;
    private Process process;
    private Path workDir;
    private Path log;
    private URI endpoint;

    /** The shared MiniStack of the extension: every call is allowed. */
    public MiniStack() {
        this(false);
    }

    private MiniStack(boolean auth) {
        this.auth = auth;
    }

    /**
     * A MiniStack of the caller's own that enforces IAM (AUTH=true): signatures are checked with the root key
     * {@code test}/{@code test}, and an IAM user's key is held to its policies. The caller closes it.
     */
    public static MiniStack startWithIam() {
        MiniStack miniStack = new MiniStack(true);
        miniStack.start();
        return miniStack;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL).getOrComputeIfAbsent(MiniStack.class, k -> {
            MiniStack miniStack = new MiniStack();
            miniStack.start();
            current = miniStack;
            return miniStack;
        }, MiniStack.class);
    }

    /** The running MiniStack, for tests whose properties are read before JUnit could pass it. */
    public static MiniStack current() {
        if (current == null) {
            throw new IllegalStateException("MiniStack is not started: annotate the test with"
                                            + " @ExtendWith(MiniStack.class)");
        }
        return current;
    }

    private void start() {
        // the SDK's default credentials chain and region: MiniStack accepts any key and does not check signatures
        System.setProperty("aws.accessKeyId", ROOT_KEY);
        System.setProperty("aws.secretAccessKey", ROOT_KEY);
        System.setProperty("aws.region", REGION);
        Path venv = Path.of(".venv").toAbsolutePath();
        Path python = venv.resolve("bin").resolve("python");
        Path duckDbHome = venv.resolve("ministack-home");
        if (!Files.isExecutable(python) || !Files.isDirectory(duckDbHome.resolve(".duckdb").resolve("extensions"))) {
            throw new IllegalStateException("MiniStack needs " + python + " and the DuckDB extensions in "
                                            + duckDbHome + "; run scripts/setup-python.sh first");
        }
        try {
            workDir = Files.createTempDirectory("ministack-");
            log = workDir.resolve("ministack.log");
            Path portFile = workDir.resolve("port");
            ProcessBuilder builder = new ProcessBuilder(python.toString(),
                    Path.of("scripts", "ministack", "serve.py").toAbsolutePath().toString())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            Map<String, String> env = builder.environment();
            env.put("MINISTACK_PORT_FILE", portFile.toString());
            env.remove("GATEWAY_PORT");
            env.put("BIND_HOST", "127.0.0.1");
            env.put("MINISTACK_HOST", "127.0.0.1");
            env.put("MINISTACK_REGION", REGION);
            env.put("ATHENA_ENGINE", "duckdb");
            env.put("S3_DATA_DIR", workDir.resolve("s3").toString());
            env.put("STATE_DIR", workDir.resolve("state").toString());
            env.put("PERSIST_STATE", "0");
            env.put("AUTH", String.valueOf(auth));
            // no fixed ports of its own (MQTT 8883, SFTP) that a second MiniStack on the machine would want too
            env.put("IOT_MTLS_ENABLED", "0");
            env.put("SFTP_ENABLED", "0");
            env.put("TMPDIR", workDir.toString());
            // DuckDB looks for extensions in $HOME/.duckdb/extensions
            env.put("HOME", duckDbHome.toString());
            // the root key MiniStack accepts (and, under AUTH, checks signatures with)
            env.put("AWS_ACCESS_KEY_ID", ROOT_KEY);
            env.put("AWS_SECRET_ACCESS_KEY", ROOT_KEY);
            env.remove("AWS_SESSION_TOKEN");
            process = builder.start();
            endpoint = URI.create("http://127.0.0.1:" + awaitPort(portFile));
            awaitHealthy();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start MiniStack with " + python + "; run scripts/setup-python.sh"
                                            + " first" + logTail(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The port serve.py was given and holds for MiniStack. */
    private String awaitPort(Path portFile) {
        try {
            return await("MiniStack's port in " + portFile).atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(50))
                    .failFast("MiniStack exited before it had a port", () -> !process.isAlive())
                    .until(() -> Files.exists(portFile) ? Files.readString(portFile).trim() : "",
                           port -> !port.isEmpty());
        } catch (ConditionTimeoutException | org.awaitility.core.TerminalFailureException e) {
            throw new IllegalStateException(e.getMessage() + logTail(), e);
        }
    }

    private void awaitHealthy() throws InterruptedException {
        try {
            await("MiniStack healthy at " + endpoint).atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(200))
                    .ignoreExceptionsInstanceOf(IOException.class) // not listening yet
                    .until(() -> {
                        if (!process.isAlive()) {
                            throw new IllegalStateException("MiniStack exited with " + process.exitValue()
                                                            + " before it was ready" + logTail());
                        }
                        return HTTP.send(HttpRequest.newBuilder(endpoint.resolve("/_ministack/health"))
                                .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString())
                                .statusCode() == 200;
                    });
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException("MiniStack was not healthy within " + START_TIMEOUT + logTail(), e);
        }
    }

    @Override
    public void close() throws Exception {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        if (current == this) {
            current = null;
        }
    }

    public URI endpoint() {
        return endpoint;
    }

    /** The S3 Tables Iceberg REST endpoint, what {@code pipeline.s3tables.endpoint} points at. */
    public URI icebergEndpoint() {
        return endpoint.resolve("/iceberg");
    }

    public static String tableBucketArn(String name) {
        return "arn:aws:s3tables:" + REGION + ":" + ACCOUNT + ":bucket/" + name;
    }

    /** Forgets every bucket, table bucket and query. */
    public void reset() {
        send(HttpRequest.newBuilder(endpoint.resolve("/_ministack/reset"))
                .POST(HttpRequest.BodyPublishers.noBody()), "reset");
    }

    /** Creates a table bucket through the S3 Tables control plane and returns its ARN. */
    public String createTableBucket(String name) {
        JsonNode created = signed("s3tables", SdkHttpMethod.PUT, "/buckets", "application/json",
                "{\"name\":\"" + name + "\"}", "create table bucket " + name);
        return created.get("arn").asText();
    }

    /** Creates a namespace through the S3 Tables control plane. */
    public void createNamespace(String tableBucketArn, String namespace) {
        signed("s3tables", SdkHttpMethod.PUT, "/namespaces/" + encoded(tableBucketArn), "application/json",
                "{\"namespace\":[\"" + namespace + "\"]}", "create namespace " + namespace);
    }

    /**
     * Creates an Iceberg table through the S3 Tables control plane, which gives it a location: MiniStack's Iceberg
     * REST CreateTable stores none when the client names none, as Spark's does.
     */
    public void createTable(String tableBucketArn, String namespace, String name, Map<String, String> columns) {
        List<Map<String, Object>> fields = new ArrayList<>();
        columns.forEach((column, type) -> fields.add(Map.of("name", column, "type", type, "required", false)));
        try {
            String body = JSON.writeValueAsString(Map.of("name", name, "format", "ICEBERG",
                    "metadata", Map.of("iceberg", Map.of("schema", Map.of("fields", fields)))));
            signed("s3tables", SdkHttpMethod.PUT, "/tables/" + encoded(tableBucketArn) + "/" + namespace,
                    "application/json", body, "create table " + namespace + "." + name);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Sets a table property through the S3 Tables Iceberg REST endpoint (an UpdateTable commit of {@code set-properties}),
     * as a user's engine would, for a table made through the control plane, which takes no properties.
     */
    public void setTableProperty(String tableBucketArn, String namespace, String name, String key, String value) {
        try {
            String body = JSON.writeValueAsString(Map.of("requirements", List.of(), "updates",
                    List.of(Map.of("action", "set-properties", "updates", Map.of(key, value)))));
            signed("s3tables", SdkHttpMethod.POST, "/iceberg/v1/" + encoded(tableBucketArn) + "/namespaces/"
                    + namespace + "/tables/" + name, "application/json", body,
                    "set " + key + " of " + namespace + "." + name);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The summary of a table's current snapshot, as the S3 Tables Iceberg REST endpoint's LoadTable gives it. */
    public JsonNode currentSnapshotSummary(String tableBucketArn, String namespace, String name) {
        JsonNode metadata = signed("s3tables", SdkHttpMethod.GET, "/iceberg/v1/" + encoded(tableBucketArn)
                + "/namespaces/" + namespace + "/tables/" + name, "application/json", "",
                "load " + namespace + "." + name).get("metadata");
        long current = metadata.get("current-snapshot-id").asLong();
        for (JsonNode snapshot : metadata.get("snapshots")) {
            if (snapshot.get("snapshot-id").asLong() == current) {
                return snapshot.get("summary");
            }
        }
        throw new IllegalStateException(namespace + "." + name + " has no current snapshot: " + metadata);
    }

    public S3Client s3() {
        return S3Client.builder().region(Region.of(REGION)).endpointOverride(endpoint).forcePathStyle(true).build();
    }

    public AthenaClient athena() {
        return AthenaClient.builder().region(Region.of(REGION)).endpointOverride(endpoint).build();
    }

    /** Runs {@code sql} on MiniStack's Athena (DuckDB really executes it) and returns the data rows, header skipped. */
    public List<List<String>> athenaRows(String sql, String outputLocation) throws InterruptedException {
        try (AthenaClient athena = athena()) {
            String id = athena.startQueryExecution(b -> b.queryString(sql)
                    .resultConfiguration(r -> r.outputLocation(outputLocation))).queryExecutionId();
            QueryExecutionStatus status = await("the end of Athena query " + id + ": " + sql)
                    .atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .until(() -> athena.getQueryExecution(b -> b.queryExecutionId(id)).queryExecution().status(),
                           s -> s.state() != QueryExecutionState.QUEUED && s.state() != QueryExecutionState.RUNNING);
            if (status.state() != QueryExecutionState.SUCCEEDED) {
                throw new IllegalStateException("Athena query " + id + " " + status.state() + ": "
                                                + status.stateChangeReason() + "\n" + sql + logTail());
            }
            List<List<String>> rows = new ArrayList<>();
            athena.getQueryResultsPaginator(b -> b.queryExecutionId(id)).forEach(page -> {
                for (Row row : page.resultSet().rows()) {
                    rows.add(row.data().stream().map(Datum::varCharValue).toList());
                }
            });
            return rows.subList(1, rows.size());
        }
    }

    /** The last lines MiniStack logged, for failure messages. */
    public String logTail() {
        try {
            String text = log == null ? "" : Files.readString(log);
            return "\nMiniStack log (" + log + "):\n" + text.substring(Math.max(0, text.length() - 4000));
        } catch (IOException e) {
            return "";
        }
    }

    /**
     * Creates an IAM user with an inline policy and returns its access key id and secret, for a caller held to that
     * policy (under AUTH).
     */
    public String[] createUserWithPolicy(String user, String policyJson) {
        iam("CreateUser", Map.of("UserName", user));
        iam("PutUserPolicy", Map.of("UserName", user, "PolicyName", user + "-policy", "PolicyDocument", policyJson));
        String xml = iam("CreateAccessKey", Map.of("UserName", user));
        return new String[] {between(xml, "<AccessKeyId>", "</AccessKeyId>"),
                             between(xml, "<SecretAccessKey>", "</SecretAccessKey>")};
    }

    private String iam(String action, Map<String, String> parameters) {
        StringBuilder form = new StringBuilder("Action=" + action + "&Version=2010-05-08");
        parameters.forEach((k, v) -> form.append('&').append(k).append('=')
                .append(java.net.URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return signedText("iam", SdkHttpMethod.POST, "/", "application/x-www-form-urlencoded", form.toString(),
                "IAM " + action);
    }

    private static String between(String text, String start, String end) {
        int from = text.indexOf(start);
        if (from < 0) {
            throw new IllegalStateException("no " + start + " in " + text);
        }
        return text.substring(from + start.length(), text.indexOf(end, from));
    }

    private JsonNode signed(String service, SdkHttpMethod method, String path, String contentType, String body,
                            String what) {
        String text = signedText(service, method, path, contentType, body, what);
        try {
            return text.isBlank() ? JSON.nullNode() : JSON.readTree(text);
        } catch (IOException e) {
            throw new IllegalStateException("MiniStack answered " + what + " with " + text, e);
        }
    }

    /** Sends a request signed with SigV4 by the root key, as an SDK client would. */
    private String signedText(String service, SdkHttpMethod method, String path, String contentType, String body,
                              String what) {
        SdkHttpRequest request = SdkHttpRequest.builder().uri(endpoint.resolve(path)).method(method)
                .putHeader("Content-Type", contentType).build();
        SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r
                .identity(AwsCredentialsIdentity.create(ROOT_KEY, ROOT_KEY))
                .request(request)
                .payload(ContentStreamProvider.fromUtf8String(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                .putProperty(AwsV4HttpSigner.REGION_NAME, REGION));
        HttpRequest.Builder builder = HttpRequest.newBuilder(endpoint.resolve(path))
                .method(method.name(), HttpRequest.BodyPublishers.ofString(body));
        signed.request().headers().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("Host") && !name.equalsIgnoreCase("Content-Length")) {
                values.forEach(value -> builder.header(name, value));
            }
        });
        try {
            HttpResponse<String> response = HTTP.send(builder.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (response.statusCode() >= 300) {
                throw new IllegalStateException("MiniStack refused to " + what + ": " + response.statusCode() + " "
                                                + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new IllegalStateException("MiniStack did not answer to " + what + logTail(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private JsonNode send(HttpRequest.Builder request, String what) {
        try {
            HttpResponse<String> response = HTTP.send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (response.statusCode() >= 300) {
                throw new IllegalStateException("MiniStack refused to " + what + ": " + response.statusCode() + " "
                                                + response.body());
            }
            return response.body().isBlank() ? JSON.nullNode() : JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException("MiniStack did not answer to " + what + logTail(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String encoded(String arn) {
        return java.net.URLEncoder.encode(arn, StandardCharsets.UTF_8);
    }
}
