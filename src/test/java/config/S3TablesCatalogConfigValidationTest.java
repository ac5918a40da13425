package config;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * pipeline.table.catalog=s3tables: the REST endpoint follows the ARN's region; a malformed ARN, a region that
 * disagrees with the ARN and a query engine that cannot read S3 are refused naming the property and the ARN.
 */
class S3TablesCatalogConfigValidationTest {

    static final String ARN = "arn:aws:s3tables:ap-southeast-1:123456789012:bucket/ecommerce-lakehouse";

    @Test
    void endpointAndRegionComeFromTheArn() {
        Settings s = settings(Map.of("pipeline.table.catalog", "s3tables", "pipeline.s3tables.tableBucketArn", ARN));

        TableConfig table = TableConfig.from(s, PipelineConfig.dataDir(s));

        assertEquals(List.of(), s.problems());
        assertEquals(new S3TablesConfig(ARN, "ap-southeast-1",
                URI.create("https://s3tables.ap-southeast-1.amazonaws.com/iceberg"), Optional.empty(), false,
                Optional.empty()), table.s3tables().orElseThrow());
        assertEquals("ecommerce-lakehouse", table.s3tables().orElseThrow().bucketName());
    }

    @Test
    void malformedArnIsNamed() {
        String bad = "arn:aws:s3:::ecommerce-lakehouse";
        Settings s = settings(Map.of("pipeline.table.catalog", "s3tables", "pipeline.s3tables.tableBucketArn", bad));

        TableConfig.from(s, PipelineConfig.dataDir(s));

        assertEquals(1, s.problems().size(), s.problems().toString());
        assertTrue(s.problems().get(0).contains("pipeline.s3tables.tableBucketArn"), s.problems().toString());
        assertTrue(s.problems().get(0).contains(bad), s.problems().toString());
    }

    @Test
    void missingArnIsNamed() {
        Settings s = settings(Map.of("pipeline.table.catalog", "s3tables"));

        TableConfig.from(s, PipelineConfig.dataDir(s));

        assertEquals(1, s.problems().size(), s.problems().toString());
        assertTrue(s.problems().get(0).startsWith("pipeline.s3tables.tableBucketArn is required"),
                s.problems().toString());
    }

    @Test
    void regionDisagreeingWithTheArnIsNamed() {
        Settings s = settings(Map.of("pipeline.table.catalog", "s3tables", "pipeline.s3tables.tableBucketArn", ARN,
                "pipeline.s3tables.region", "us-east-1"));

        TableConfig.from(s, PipelineConfig.dataDir(s));

        assertEquals(List.of("pipeline.s3tables.region is us-east-1 but the table bucket " + ARN
                             + " (pipeline.s3tables.tableBucketArn) is in ap-southeast-1"), s.problems());
    }

    @Test
    void duckDbCannotQueryATableBucket() {
        Settings s = settings(Map.of("pipeline.table.catalog", "s3tables", "pipeline.s3tables.tableBucketArn", ARN,
                "pipeline.query.engine", "duckdb", "pipeline.s3.bucket", "s3-general-purpose-ecommerce"));

        PipelineConfig.load(s);

        assertTrue(s.problems().stream().anyMatch(p -> p.startsWith("pipeline.query.engine=duckdb")),
                s.problems().toString());
    }

    @Test
    void icebergIsTheEmbeddedEngine() {
        Settings s = settings(Map.of("pipeline.engine", "iceberg", "pipeline.s3.bucket", "s3-general-purpose-ecommerce"));

        PipelineConfig config = PipelineConfig.load(s);

        assertEquals(List.of(), s.problems());
        assertEquals(PipelineConfig.LoadEngineKind.EMBEDDED, config.engine());
    }

    @Test
    void noPropertyFileHoldsAKeySetting() throws Exception {
        for (String file : List.of("application.properties", "application-aws.properties",
                                   "application-local.properties")) {
            String text = new String(getClass().getClassLoader().getResourceAsStream(file).readAllBytes(),
                    java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(java.util.regex.Pattern.compile("(?im)^[^#]*(access-?key|secret|session-?token)[^=]*=")
                    .matcher(text).results().findAny().isEmpty(), file + " names a key setting");
        }
    }

    private static Settings settings(Map<String, String> values) {
        return new Settings(key -> Optional.ofNullable(values.get(key)));
    }
}
