package app;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.Tag;
import support.ApplicationProcess;
import support.MiniStack;
import support.PipelineTestSupport;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The S3 source against MiniStack's S3, which keeps object tags and SSE headers: with {@code afterRun=tag} loaded
 * objects stay in place tagged (their own tags kept), a failed one goes to the failed prefix, and a tagged object is
 * not read again by a process with a new data dir; objects put with SSE-KMS are read, loaded, and moved with the
 * same encryption and key.
 */
@ExtendWith(MiniStack.class)
class S3SourceTagsAndEncryptionOnMiniStackTest {

    static final String BUCKET = "s3-general-purpose-ecommerce";
    static final String PREFIX = "landing/products/";
    static final String BAD_CSV = "product_id,product_name,product_category,brand\n1,Lamp,Home,BenQ\n2x,Mat,Sports,Manduka\n";
    static final String KMS_KEY = "arn:aws:kms:us-east-1:000000000000:key/5f1b8c2e-7c44-4f0e-9d51-2a6b1f3e9c10";

    /** {@code tag}: three objects loaded and tagged where they are, a bad one moved to the failed prefix. */
    @Nested
    class Tagged extends OnMiniStack {

        @Override
        protected Properties testProperties() {
            Properties p = super.testProperties();
            p.setProperty("pipeline.s3source.afterRun", "tag");
            p.setProperty("pipeline.table.mode", "append");
            return p;
        }

        @Test
        void loadedObjectsAreTaggedInPlaceAndTheFailedOneMovedAside() throws Exception {
            List<String> names = List.of("2026-12-05.csv", "2026-12-06.csv", "2026-12-07.csv");
            // the user's own tag on the first: kept beside the pipeline's
            s3().putObject(b -> b.bucket(BUCKET).key(PREFIX + names.get(0)).tagging("team=sales"),
                    RequestBody.fromBytes(csv(0)));
            put(PREFIX + names.get(1), csv(100));
            put(PREFIX + names.get(2), csv(200));
            put(PREFIX + "zz-bad.csv", BAD_CSV.getBytes(StandardCharsets.UTF_8));

            for (String name : names) {
                JsonNode report = awaitReportOfObject(PREFIX + name);
                assertEquals("SUCCEEDED", report.path("status").asText(), report + miniStack.logTail());
                Map<String, String> expected = new java.util.HashMap<>(Map.of(
                        "s3tables-pipeline", "loaded", "s3tables-pipeline-run", report.path("runId").asText()));
                if (name.equals(names.get(0))) {
                    expected.put("team", "sales");
                }
                await(name + " tagged").atMost(RUN_LIMIT).until(() -> tags(PREFIX + name).equals(expected));
            }
            JsonNode bad = awaitReportOfObject(PREFIX + "zz-bad.csv");
            assertEquals("FAILED", bad.path("status").asText(), bad.toString());
            await("zz-bad.csv in .failed/").atMost(RUN_LIMIT).until(() -> keysUnder(PREFIX + ".failed/").equals(
                    List.of(PREFIX + ".failed/zz-bad.csv", PREFIX + ".failed/zz-bad.csv.error.json")));
            JsonNode error = JSON.readTree(get(PREFIX + ".failed/zz-bad.csv.error.json"));
            assertEquals(bad.path("runId").asText(), error.path("runId").asText(), error.toString());
            assertEquals("convert", error.path("stage").asText(), error.toString());
            assertEquals(Map.of(), tags(PREFIX + ".failed/zz-bad.csv"), "a failed object is not tagged loaded");

            // the loaded objects stay where they were, each loaded once: the table holds their 60 rows
            List<String> left = names.stream().map(name -> PREFIX + name).collect(Collectors.toList());
            left.add(PREFIX + ".failed/zz-bad.csv");
            left.add(PREFIX + ".failed/zz-bad.csv.error.json");
            assertEquals(left.stream().sorted().toList(), keysUnder(PREFIX));
            assertEquals(60, reports().stream().mapToLong(r -> r.path("query").path("rows").asLong()).max()
                    .orElseThrow(), reports().toString());
            assertEquals(4, reports().size(), reports().toString());
        }
    }

    /** {@code move} of objects put with SSE-KMS: read, loaded, and their copies under .done/ and .failed/ keep it. */
    @Nested
    class KmsEncrypted extends OnMiniStack {

        @Test
        void kmsObjectsAreLoadedAndMovedWithTheirKey() throws Exception {
            byte[] content = csv(0);
            putWithKms(PREFIX + "2026-12-07.csv", content);
            putWithKms(PREFIX + "zz-bad.csv", BAD_CSV.getBytes(StandardCharsets.UTF_8));
            HeadObjectResponse put = s3().headObject(b -> b.bucket(BUCKET).key(PREFIX + "2026-12-07.csv"));
            assertEquals(ServerSideEncryption.AWS_KMS, put.serverSideEncryption(), "MiniStack keeps SSE-KMS: " + put);

            JsonNode report = awaitReportOfObject(PREFIX + "2026-12-07.csv");
            assertEquals("SUCCEEDED", report.path("status").asText(), report + miniStack.logTail());
            assertEquals(sha256(content), report.path("sha256").asText(), report.toString());
            assertEquals(rowsOf(new String(content, StandardCharsets.UTF_8)),
                    asRows(readParquet(report.path("parquetUri").asText())));
            JsonNode bad = awaitReportOfObject(PREFIX + "zz-bad.csv");
            assertEquals("FAILED", bad.path("status").asText(), bad.toString());

            await("both objects moved").atMost(RUN_LIMIT).until(() -> keysUnder(PREFIX).equals(List.of(
                    PREFIX + ".done/2026-12-07.csv", PREFIX + ".failed/zz-bad.csv",
                    PREFIX + ".failed/zz-bad.csv.error.json")));
            for (String moved : List.of(PREFIX + ".done/2026-12-07.csv", PREFIX + ".failed/zz-bad.csv")) {
                HeadObjectResponse head = s3().headObject(b -> b.bucket(BUCKET).key(moved));
                assertEquals(ServerSideEncryption.AWS_KMS, head.serverSideEncryption(), moved + ": " + head);
                assertEquals(KMS_KEY, head.ssekmsKeyId(), moved + ": " + head);
            }
            assertTrue(java.util.Arrays.equals(content, get(PREFIX + ".done/2026-12-07.csv")));
        }

        private void putWithKms(String key, byte[] content) {
            s3().putObject(b -> b.bucket(BUCKET).key(key).serverSideEncryption(ServerSideEncryption.AWS_KMS)
                    .ssekmsKeyId(KMS_KEY), RequestBody.fromBytes(content));
        }
    }

    /** The app's S3 (upload and source) on MiniStack, in the local profile otherwise: the table is a local one. */
    abstract static class OnMiniStack extends PipelineTestSupport {

        MiniStack miniStack;

        @Override
        protected Properties testProperties() {
            miniStack = MiniStack.current();
            miniStack.reset();
            Properties p = new Properties();
            String endpoint = miniStack.endpoint().toString();
            p.setProperty("pipeline.s3.embedded", "false");
            p.setProperty("pipeline.s3.endpoint", endpoint);
            p.setProperty("pipeline.s3.region", MiniStack.REGION);
            p.setProperty("pipeline.s3.pathStyle", "true");
            p.setProperty("pipeline.s3.createBucket", "true");
            p.setProperty("pipeline.inbox.enabled", "false");
            p.setProperty("pipeline.s3source.url", "s3://" + BUCKET + "/" + PREFIX);
            p.setProperty("pipeline.s3source.pollInterval", "200ms");
            return p;
        }

        /** The walkthrough's 20 products, their ids from {@code idsFrom + 1}. */
        static byte[] csv(int idsFrom) throws Exception {
            return sampleCsvWithIdsFrom(idsFrom).getBytes(StandardCharsets.UTF_8);
        }

        void put(String key, byte[] content) {
            s3().putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(content));
        }

        byte[] get(String key) {
            return s3().getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asByteArray();
        }

        Map<String, String> tags(String key) {
            return tagsOf(s3(), key);
        }

        List<String> keysUnder(String prefix) {
            return keysOf(s3(), prefix);
        }

        JsonNode awaitReportOfObject(String key) throws Exception {
            return awaitReport(r -> "s3".equals(r.path("trigger").asText())
                    && ("s3://" + BUCKET + "/" + key).equals(r.path("source").asText()), RUN_LIMIT);
        }
    }

    /**
     * Real processes: one that tags an object, then one on a new data dir, which the tag alone keeps from a second run;
     * one whose tagging is refused.
     */
    @Nested
    class Restart {

        @TempDir
        Path dir;

        private ApplicationProcess.Running app;

        @AfterEach
        void killApp() throws InterruptedException {
            if (app != null) {
                app.kill();
            }
        }

        @Test
        void taggedObjectIsNotReadAgainWithANewDataDir() throws Exception {
            MiniStack miniStack = MiniStack.current();
            miniStack.reset();
            try (S3Client s3 = miniStack.s3()) {
                s3.createBucket(b -> b.bucket(BUCKET));
                s3.putObject(b -> b.bucket(BUCKET).key(PREFIX + "a.csv"), RequestBody.fromBytes(OnMiniStack.csv(0)));
                List<String> jvm = List.of(
                        "-Daws.accessKeyId=" + MiniStack.ROOT_KEY,
                        "-Daws.secretAccessKey=" + MiniStack.ROOT_KEY,
                        "-Dpipeline.s3.embedded=false",
                        "-Dpipeline.s3.endpoint=" + miniStack.endpoint(),
                        "-Dpipeline.s3.region=" + MiniStack.REGION,
                        "-Dpipeline.s3.pathStyle=true",
                        "-Dpipeline.s3source.url=s3://" + BUCKET + "/" + PREFIX,
                        "-Dpipeline.s3source.pollInterval=200ms",
                        "-Dpipeline.s3source.afterRun=tag",
                        "-Dpipeline.inbox.enabled=false");

                Path first = dir.resolve("first");
                app = ApplicationProcess.start(first, jvm, Map.of());
                await("a.csv tagged loaded").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(100))
                        .until(() -> "loaded".equals(tagsOf(s3, PREFIX + "a.csv").get("s3tables-pipeline")));
                app.process().destroy();
                app.awaitExit(Duration.ofMinutes(2));
                List<JsonNode> firstReports = reports(first.resolve("runs"));
                assertEquals(1, firstReports.size(), firstReports.toString());
                assertEquals("SUCCEEDED", firstReports.get(0).path("status").asText(), firstReports.toString());

                // a new data dir remembers nothing; b is listed after a, so once b's run has begun, a was passed
                Path second = dir.resolve("second");
                app = ApplicationProcess.start(second, jvm, Map.of());
                s3.putObject(b -> b.bucket(BUCKET).key(PREFIX + "b.csv"), RequestBody.fromBytes(OnMiniStack.csv(100)));
                await("b.csv tagged loaded").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(100))
                        .until(() -> "loaded".equals(tagsOf(s3, PREFIX + "b.csv").get("s3tables-pipeline")));
                app.process().destroy();
                app.awaitExit(Duration.ofMinutes(2));

                List<JsonNode> secondReports = reports(second.resolve("runs"));
                assertEquals(List.of("s3://" + BUCKET + "/" + PREFIX + "b.csv"),
                        secondReports.stream().map(r -> r.path("source").asText()).toList(),
                        "a.csv, tagged, is not read again: " + secondReports);
                assertEquals(firstReports.get(0).path("runId").asText(),
                        tagsOf(s3, PREFIX + "a.csv").get("s3tables-pipeline-run"));
                assertTrue(Files.readString(second.resolve("state").resolve("s3-source.properties"))
                        .contains(PREFIX + "a.csv"), "a.csv remembered by the second process once its tag was read");
            }
        }

        /**
         * A principal denied s3:PutObjectTagging, on a MiniStack that enforces IAM: the log names the object, the
         * permission and the setting, and the object, remembered, starts no second run while the next one loads.
         */
        @Test
        void refusedTaggingIsNamedAndStartsNoRunLoop() throws Exception {
            try (MiniStack withIam = MiniStack.startWithIam(); S3Client root = withIam.s3()) {
                String[] key = withIam.createUserWithPolicy("loader", """
                        {"Version": "2012-10-17", "Statement": [
                          {"Effect": "Allow", "Action": "s3:*", "Resource": "*"},
                          {"Effect": "Deny", "Action": "s3:PutObjectTagging", "Resource": "*"}]}""");
                root.createBucket(b -> b.bucket(BUCKET));
                root.putObject(b -> b.bucket(BUCKET).key(PREFIX + "a.csv"), RequestBody.fromBytes(OnMiniStack.csv(0)));
                Path data = dir.resolve("data");
                app = ApplicationProcess.start(data, List.of(
                        "-Daws.accessKeyId=" + key[0],
                        "-Daws.secretAccessKey=" + key[1],
                        "-Dpipeline.s3.embedded=false",
                        "-Dpipeline.s3.endpoint=" + withIam.endpoint(),
                        "-Dpipeline.s3.region=" + MiniStack.REGION,
                        "-Dpipeline.s3.pathStyle=true",
                        "-Dpipeline.s3source.url=s3://" + BUCKET + "/" + PREFIX,
                        "-Dpipeline.s3source.pollInterval=200ms",
                        "-Dpipeline.s3source.afterRun=tag",
                        "-Dpipeline.inbox.enabled=false"), Map.of());
                Path state = data.resolve("state").resolve("s3-source.properties");
                await("a.csv remembered").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(100))
                        .until(() -> Files.exists(state) && Files.readString(state).contains(PREFIX + "a.csv"));
                // b is listed after a: once b's run has ended, the consumer has passed a again
                root.putObject(b -> b.bucket(BUCKET).key(PREFIX + "b.csv"), RequestBody.fromBytes(OnMiniStack.csv(100)));
                await("b.csv's run").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(100))
                        .until(() -> Files.readString(state).contains(PREFIX + "b.csv"));
                app.process().destroy();
                app.awaitExit(Duration.ofMinutes(2));

                List<JsonNode> all = reports(data.resolve("runs"));
                assertEquals(List.of("s3://" + BUCKET + "/" + PREFIX + "a.csv", "s3://" + BUCKET + "/" + PREFIX + "b.csv"),
                        all.stream().map(r -> r.path("source").asText()).sorted().toList(), all.toString());
                String log = app.stdout() + Files.readString(app.stderrFile());
                String line = log.lines().filter(l -> l.contains("could not be tagged")).findFirst()
                        .orElseThrow(() -> new AssertionError("no refusal logged: " + log));
                for (String named : List.of("s3://" + BUCKET + "/" + PREFIX + "a.csv", "s3:PutObjectTagging",
                        "pipeline.s3source.afterRun")) {
                    assertTrue(line.contains(named), named + " in " + line);
                }
                assertTrue(!log.contains(key[1]), "no secret in the log");
                assertEquals(Map.of(), tagsOf(root, PREFIX + "a.csv"));
            }
        }

        private static List<JsonNode> reports(Path runs) throws Exception {
            List<JsonNode> reports = new ArrayList<>();
            if (Files.isDirectory(runs)) {
                try (Stream<Path> files = Files.list(runs)) {
                    for (Path file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
                        reports.add(new ObjectMapper().readTree(file.toFile()));
                    }
                }
            }
            return reports;
        }
    }

    static Map<String, String> tagsOf(S3Client s3, String key) {
        return s3.getObjectTagging(b -> b.bucket(BUCKET).key(key)).tagSet().stream()
                .collect(Collectors.toMap(Tag::key, Tag::value));
    }

    static List<String> keysOf(S3Client s3, String prefix) {
        return s3.listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix(prefix)).contents().stream()
                .map(S3Object::key).toList();
    }

}
