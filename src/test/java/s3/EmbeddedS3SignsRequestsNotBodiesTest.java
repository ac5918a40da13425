package s3;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import config.S3Config;
import config.Settings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The embedded server's client signs every request with the made-up credentials but not the bodies (no SHA-256 of
 * each chunk on either side of the loopback); the server still refuses a request signed with another secret.
 */
class EmbeddedS3SignsRequestsNotBodiesTest {

    private static final String BUCKET = "bucket";

    @TempDir
    Path dir;

    private EmbeddedS3Server server;
    private final List<SdkHttpRequest> sent = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        server = new EmbeddedS3Server(dir.resolve("s3"), 0);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    @Test
    void aBodyGoesUnsignedAndArrivesWhole() {
        byte[] body = "product_id,product_name\n1,Desk Lamp\n".repeat(50_000).getBytes(StandardCharsets.UTF_8);
        try (S3Client client = S3Clients.embedded(config(), server).endpointOverride(server.endpoint())
                .overrideConfiguration(c -> c.addExecutionInterceptor(seeingHeaders())).build()) {
            client.createBucket(b -> b.bucket(BUCKET));
            client.putObject(b -> b.bucket(BUCKET).key("data/products.csv"), RequestBody.fromBytes(body));

            assertArrayEquals(body, client.getObjectAsBytes(b -> b.bucket(BUCKET).key("data/products.csv"))
                    .asByteArray());
        }
        Map<String, List<String>> put = sent.stream()
                .filter(r -> r.method() == SdkHttpMethod.PUT && r.encodedPath().endsWith("/data/products.csv"))
                .findFirst().orElseThrow(() -> new AssertionError("no PUT of the object among " + sent)).headers();
        String payload = put.get("x-amz-content-sha256").get(0);
        assertTrue(payload.contains("UNSIGNED-PAYLOAD"), "the body's hash header: " + payload);
        assertTrue(put.get("Authorization").get(0).startsWith("AWS4-HMAC-SHA256 Credential="
                + server.credentials().accessKeyId()), "the request itself is signed: " + put.get("Authorization"));
    }

    @Test
    void aRequestSignedWithAnotherSecretIsRefused() {
        try (S3Client client = S3Client.builder()
                .endpointOverride(server.endpoint())
                .forcePathStyle(true)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(server.credentials().accessKeyId(), "not-the-secret")))
                .putAuthScheme(new LoopbackPayloadSigning())
                .build()) {
            S3Exception refused = assertThrows(S3Exception.class, () -> client.createBucket(b -> b.bucket(BUCKET)));
            assertEquals(403, refused.statusCode(), refused.getMessage());
        }
    }

    private ExecutionInterceptor seeingHeaders() {
        return new ExecutionInterceptor() {
            @Override
            public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                sent.add(context.httpRequest());
            }
        };
    }

    private static S3Config config() {
        return S3Config.from(new Settings(key -> Optional.empty()));
    }
}
