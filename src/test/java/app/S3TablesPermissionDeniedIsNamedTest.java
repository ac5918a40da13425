package app;

import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import support.MiniStack;
import support.PipelineTestSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Catalog s3tables on a MiniStack that enforces IAM (AUTH=true): an IAM user denied s3tables:CreateNamespace is
 * refused (403) by the table bucket's REST catalog, and the run fails in its prepare stage (the table lookup before
 * the convert) with a message naming the table bucket ARN and its property, and not the key. MiniStack 1.5.33 refuses the Iceberg client's SigV4 signature on
 * paths that carry the encoded table bucket ARN before it evaluates the policy (its canonical URI encodes the path
 * once; AWS's, like the SDK signer, twice), so the 403 seen here is that refusal; AWS answers a denied action with a
 * 403 alike, which reaches the run the same way.
 */
class S3TablesPermissionDeniedIsNamedTest extends PipelineTestSupport {

    static final String TABLE_BUCKET = "ecommerce-lakehouse";
    static final String BUCKET = "s3-general-purpose-ecommerce";

    static MiniStack withIam;
    static String previousKey;
    static String previousSecret;

    String tableBucketArn;
    String[] key;

    @Override
    protected String profile() {
        return "aws";
    }

    @Override
    protected Properties testProperties() {
        withIam = MiniStack.startWithIam();
        tableBucketArn = withIam.createTableBucket(TABLE_BUCKET);
        key = withIam.createUserWithPolicy("loader", """
                {"Version": "2012-10-17", "Statement": [
                  {"Effect": "Allow", "Action": ["s3:*", "s3tables:*"], "Resource": "*"},
                  {"Effect": "Deny", "Action": "s3tables:CreateNamespace", "Resource": "*"}]}""");
        // the app's principal, through the default credentials chain like everywhere else
        previousKey = System.getProperty("aws.accessKeyId");
        previousSecret = System.getProperty("aws.secretAccessKey");
        System.setProperty("aws.accessKeyId", key[0]);
        System.setProperty("aws.secretAccessKey", key[1]);

        String endpoint = withIam.endpoint().toString();
        Properties p = new Properties();
        p.setProperty("pipeline.once", samplePath().toString());
        p.setProperty("pipeline.engine", "iceberg");
        p.setProperty("pipeline.table.catalog", "s3tables");
        p.setProperty("pipeline.s3tables.tableBucketArn", tableBucketArn);
        p.setProperty("pipeline.s3tables.endpoint", withIam.icebergEndpoint().toString());
        p.setProperty("pipeline.s3tables.tableLocationPrefix", "s3://" + TABLE_BUCKET);
        p.setProperty("pipeline.s3.endpoint", endpoint);
        p.setProperty("pipeline.s3.region", MiniStack.REGION);
        p.setProperty("pipeline.s3.pathStyle", "true");
        p.setProperty("pipeline.s3.createBucket", "true");
        p.setProperty("pipeline.athena.endpoint", endpoint);
        p.setProperty("pipeline.athena.region", MiniStack.REGION);
        p.setProperty("pipeline.athena.outputLocation", "s3://" + BUCKET + "/athena-results/");
        return p;
    }

    @AfterAll
    static void stopMiniStack() throws Exception {
        restore("aws.accessKeyId", previousKey);
        restore("aws.secretAccessKey", previousSecret);
        if (withIam != null) {
            withIam.close();
        }
    }

    @Test
    void runFailsNamingTheTableBucket() throws Exception {
        JsonNode report = awaitReports(1, java.time.Duration.ofSeconds(120)).get(0);
        assertEquals("FAILED", report.get("status").asText(), report + withIam.logTail());
        assertEquals("prepare", report.get("error").get("stage").asText());
        String message = report.get("error").get("message").asText();
        assertTrue(message.contains("create namespace data"), message);
        assertTrue(message.contains(tableBucketArn), message);
        assertTrue(message.contains("pipeline.s3tables.tableBucketArn"), message);
        assertTrue(message.contains("Forbidden"), message);
        assertFalse(message.contains(key[0]) || message.contains(key[1]), message);
    }

    private static void restore(String property, String value) {
        if (value == null) {
            System.clearProperty(property);
        } else {
            System.setProperty(property, value);
        }
    }
}
