package app;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.S3Object;
import support.PipelineTestSupport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Objects put under {@code pipeline.s3source.url} on the embedded S3 server load as one run each, read by Camel's
 * aws2-s3 consumer: the same content under a new key ends SKIPPED, a bad CSV and an object over the size limit end
 * in the failed prefix with an error object beside them, and each {@code afterRun} mode leaves the object where it
 * says (moved to {@code .done/}, kept and not read again until it changes, or deleted).
 */
class S3PrefixObjectsLoadAsRunsTest {

    static final String BUCKET = "s3-general-purpose-ecommerce";
    static final String PREFIX = "landing/products/";
    static final String BAD_CSV = "product_id,product_name,product_category,brand\n1,Lamp,Home,BenQ\n2x,Mat,Sports,Manduka\n";

    /** The default, {@code move}: each object ends in {@code .done/} or {@code .failed/}. */
    @Nested
    class Move extends S3SourceTest {

        @Override
        protected Properties testProperties() {
            Properties p = super.testProperties();
            p.setProperty("pipeline.table.mode", "append");
            p.setProperty("pipeline.source.maxBytes", "64KB");
            // each run's Parquet kept under its own key, to be read back after the later runs
            p.setProperty("pipeline.s3.key", "data/{dataset}-{runId}.parquet");
            return p;
        }

        @Test
        void threeObjectsLoadAsThreeRunsAndMoveToDone() throws Exception {
            List<byte[]> contents = List.of(csv(0), csv(100), csv(200));
            List<String> names = List.of("2026-12-05.csv", "2026-12-06.csv", "2026-12-07.csv");
            for (int i = 0; i < 3; i++) {
                put(PREFIX + names.get(i), contents.get(i));
            }

            for (int i = 0; i < 3; i++) {
                JsonNode report = awaitReportOfObject(PREFIX + names.get(i));
                assertEquals("SUCCEEDED", report.path("status").asText(), report.toString());
                assertEquals(sha256(contents.get(i)), report.path("sha256").asText(), report.toString());
                assertEquals(contents.get(i).length, report.path("bytesRead").asLong(), report.toString());
                assertEquals(rowsOf(new String(contents.get(i), StandardCharsets.UTF_8)),
                        asRows(readParquet(report.path("parquetUri").asText())));
            }
            awaitMoved(PREFIX + ".done/", names);
            assertEquals(List.of(), keysUnder(PREFIX + ".failed/"));
            for (int i = 0; i < 3; i++) {
                assertArrayEquals(contents.get(i), get(PREFIX + ".done/" + names.get(i)));
            }
            // three appends: the table holds the three objects' rows once each
            assertEquals(60, reports().stream().mapToLong(r -> r.path("query").path("rows").asLong()).max()
                    .orElseThrow(), reports().toString());
            assertEquals(3, reports().size(), reports().toString());
        }

        @Test
        void sameContentUnderANewKeyEndsSkipped() throws Exception {
            byte[] content = csv(0);
            put(PREFIX + "first.csv", content);
            JsonNode first = awaitReportOfObject(PREFIX + "first.csv");
            put(PREFIX + "again.csv", content);
            JsonNode again = awaitReportOfObject(PREFIX + "again.csv");

            assertEquals("SUCCEEDED", first.path("status").asText(), first.toString());
            assertEquals("SKIPPED", again.path("status").asText(), again.toString());
            assertEquals(first.path("sha256").asText(), again.path("sha256").asText());
            awaitMoved(PREFIX + ".done/", List.of("again.csv", "first.csv"));
        }

        @Test
        void badCsvEndsInTheFailedPrefixWithItsErrorObject() throws Exception {
            put(PREFIX + "bad.csv", BAD_CSV.getBytes(StandardCharsets.UTF_8));

            JsonNode report = awaitReportOfObject(PREFIX + "bad.csv");

            assertEquals("FAILED", report.path("status").asText(), report.toString());
            assertEquals("convert", report.path("error").path("stage").asText(), report.toString());
            awaitMoved(PREFIX + ".failed/", List.of("bad.csv", "bad.csv.error.json"));
            assertEquals(BAD_CSV, new String(get(PREFIX + ".failed/bad.csv"), StandardCharsets.UTF_8));
            JsonNode error = JSON.readTree(get(PREFIX + ".failed/bad.csv.error.json"));
            assertEquals(report.path("runId").asText(), error.path("runId").asText(), error.toString());
            assertEquals("convert", error.path("stage").asText(), error.toString());
            assertEquals("s3://" + BUCKET + "/" + PREFIX + "bad.csv", error.path("source").asText());
            String reason = error.path("reason").asText();
            assertTrue(reason.contains("line 3") && reason.contains("'2x'"), reason);
            assertEquals(List.of(), keysUnder(PREFIX + ".done/"));
        }

        @Test
        void gzipObjectIsStoredAsReceivedAndLoadsTheRowsItHolds() throws Exception {
            byte[] plain = csv(0);
            java.io.ByteArrayOutputStream gzip = new java.io.ByteArrayOutputStream();
            try (java.util.zip.GZIPOutputStream out = new java.util.zip.GZIPOutputStream(gzip)) {
                out.write(plain);
            }
            byte[] compressed = gzip.toByteArray();
            put(PREFIX + "2026-12-07.csv.gz", compressed);

            JsonNode report = awaitReportOfObject(PREFIX + "2026-12-07.csv.gz");

            assertEquals("SUCCEEDED", report.path("status").asText(), report.toString());
            assertEquals("gzip", report.path("compression").asText(), report.toString());
            assertEquals(compressed.length, report.path("bytesRead").asLong(), report.toString());
            assertEquals(plain.length, report.path("csvBytes").asLong(), report.toString());
            assertEquals(sha256(compressed), report.path("sha256").asText(), report.toString());
            assertEquals(rowsOf(new String(plain, StandardCharsets.UTF_8)),
                    asRows(readParquet(report.path("parquetUri").asText())));
            awaitMoved(PREFIX + ".done/", List.of("2026-12-07.csv.gz"));
        }

        @Test
        void objectOverTheSizeLimitIsRefusedUnread() throws Exception {
            byte[] big = new byte[100 * 1024];
            Arrays.fill(big, (byte) 'x');
            put(PREFIX + "big.csv", big);

            JsonNode report = awaitReportOfObject(PREFIX + "big.csv");

            assertEquals("FAILED", report.path("status").asText(), report.toString());
            assertEquals("download", report.path("error").path("stage").asText(), report.toString());
            String reason = report.path("error").path("message").asText();
            assertTrue(reason.contains("pipeline.source.maxBytes") && reason.contains("102400 bytes"), reason);
            assertEquals(0, report.path("bytesRead").asLong(), report.toString());
            awaitMoved(PREFIX + ".failed/", List.of("big.csv", "big.csv.error.json"));
        }
    }

    /** {@code keep}: a loaded object stays where it is, and starts no second run until it changes. */
    @Nested
    class Keep extends S3SourceTest {

        @Override
        protected Properties testProperties() {
            Properties p = super.testProperties();
            p.setProperty("pipeline.s3source.afterRun", "keep");
            return p;
        }

        @Test
        void keptObjectIsReadAgainOnlyOnceItChanges() throws Exception {
            put(PREFIX + "a.csv", csv(0));
            JsonNode first = awaitReportOfObject(PREFIX + "a.csv");
            // b is listed after a: once b's run has begun, the consumer has passed a again
            put(PREFIX + "b.csv", csv(100));
            JsonNode b = awaitReportOfObject(PREFIX + "b.csv");
            put(PREFIX + "c.csv", csv(200));
            awaitReportOfObject(PREFIX + "c.csv");

            assertEquals("SUCCEEDED", first.path("status").asText(), first.toString());
            assertEquals("SUCCEEDED", b.path("status").asText(), b.toString());
            assertEquals(1, reportsOf(PREFIX + "a.csv").size(), reports().toString());
            assertEquals(List.of(PREFIX + "a.csv", PREFIX + "b.csv", PREFIX + "c.csv"), keysUnder(PREFIX));

            byte[] changed = csv(300);
            put(PREFIX + "a.csv", changed);
            JsonNode second = awaitReport(r -> objectUri(PREFIX + "a.csv").equals(r.path("source").asText())
                    && !first.path("runId").asText().equals(r.path("runId").asText()), RUN_LIMIT);
            assertEquals("SUCCEEDED", second.path("status").asText(), second.toString());
            assertEquals(sha256(changed), second.path("sha256").asText());
            assertTrue(java.nio.file.Files.exists(dataDir.resolve("state").resolve("s3-source.properties")));
        }
    }

    /** {@code delete}: a loaded object is deleted; a failed one is still kept in the failed prefix. */
    @Nested
    class Delete extends S3SourceTest {

        @Override
        protected Properties testProperties() {
            Properties p = super.testProperties();
            p.setProperty("pipeline.s3source.afterRun", "delete");
            return p;
        }

        @Test
        void loadedObjectIsDeletedAndFailedOneKept() throws Exception {
            put(PREFIX + "good.csv", csv(0));
            put(PREFIX + "zz-bad.csv", BAD_CSV.getBytes(StandardCharsets.UTF_8));

            JsonNode good = awaitReportOfObject(PREFIX + "good.csv");
            JsonNode bad = awaitReportOfObject(PREFIX + "zz-bad.csv");

            assertEquals("SUCCEEDED", good.path("status").asText(), good.toString());
            assertEquals("FAILED", bad.path("status").asText(), bad.toString());
            awaitMoved(PREFIX + ".failed/", List.of("zz-bad.csv", "zz-bad.csv.error.json"));
            assertEquals(List.of(PREFIX + ".failed/zz-bad.csv", PREFIX + ".failed/zz-bad.csv.error.json"),
                    keysUnder(PREFIX));
        }
    }

    abstract static class S3SourceTest extends PipelineTestSupport {

        @Override
        protected Properties testProperties() {
            Properties p = new Properties();
            p.setProperty("pipeline.inbox.enabled", "false");
            p.setProperty("pipeline.s3source.url", "s3://" + BUCKET + "/" + PREFIX);
            p.setProperty("pipeline.s3source.pollInterval", "200ms");
            return p;
        }

        static byte[] csv(int idsFrom) throws Exception {
            return sampleCsvWithIdsFrom(idsFrom).getBytes(StandardCharsets.UTF_8);
        }

        void put(String key, byte[] content) {
            s3().putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(content));
        }

        byte[] get(String key) {
            return s3().getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asByteArray();
        }

        /** Every key under {@code prefix}, whatever its depth, in key order. */
        List<String> keysUnder(String prefix) {
            return s3().listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix(prefix)).contents().stream()
                    .map(S3Object::key).toList();
        }

        static String objectUri(String key) {
            return "s3://" + BUCKET + "/" + key;
        }

        JsonNode awaitReportOfObject(String key) throws Exception {
            return awaitReport(r -> "s3".equals(r.path("trigger").asText())
                    && objectUri(key).equals(r.path("source").asText()), RUN_LIMIT);
        }

        List<JsonNode> reportsOf(String key) throws Exception {
            return reports().stream().filter(r -> objectUri(key).equals(r.path("source").asText())).toList();
        }

        /** Waits until {@code folder} holds {@code names} (in key order) and none of them is left under the prefix. */
        void awaitMoved(String folder, List<String> names) {
            List<String> keys = names.stream().map(name -> folder + name).toList();
            org.awaitility.Awaitility.await(folder + " holding " + names).atMost(RUN_LIMIT)
                    .until(() -> keysUnder(folder).equals(keys)
                            && s3().listObjectsV2(b -> b.bucket(BUCKET).prefix(PREFIX).delimiter("/")).contents()
                            .isEmpty());
        }
    }
}
