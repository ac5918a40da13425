package emr;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import config.EmrConfig;
import config.Settings;
import lake.LoadRequest;
import software.amazon.awssdk.services.s3.S3Client;

/** The properties an EMR test starts from: moto as the endpoint, short waits, a job script in a temp dir. */
final class EmrTestSetup {

    static final String BUCKET = "s3-general-purpose-ecommerce";
    static final String TABLE_BUCKET_ARN = MotoHarness.TABLE_BUCKET_ARN;
    static final String PARQUET = "s3://" + BUCKET + "/data/products.parquet";

    private EmrTestSetup() {
    }

    static Map<String, String> properties(MotoHarness moto, Path dir) throws IOException {
        Path script = dir.resolve("load_to_iceberg.py");
        if (!Files.exists(script)) {
            Files.writeString(script, "print('LOAD_SUMMARY {}')\n");
        }
        Map<String, String> p = new HashMap<>();
        p.put("pipeline.emr.endpoint", moto.endpoint().toString());
        p.put("pipeline.emr.region", MotoHarness.REGION);
        p.put("pipeline.emr.logUri", "s3://" + BUCKET + "/test-emr-logs");
        p.put("pipeline.emr.scriptUri", "s3://" + BUCKET + "/load_to_iceberg.py");
        p.put("pipeline.emr.scriptPath", script.toString());
        p.put("pipeline.emr.waitInterval", "100ms");
        p.put("pipeline.emr.waitTimeout", "20s");
        p.put("pipeline.s3tables.tableBucketArn", TABLE_BUCKET_ARN);
        return p;
    }

    static EmrConfig config(Map<String, String> properties) {
        Settings settings = new Settings(k -> Optional.ofNullable(properties.get(k)));
        EmrConfig config = EmrConfig.from(settings);
        settings.validate();
        return config;
    }

    static void createBucket(S3Client s3) {
        s3.createBucket(b -> b.bucket(BUCKET));
    }

    static LoadRequest request(String runId) {
        return request(runId, "sha-of-" + runId);
    }

    /** A request for the input whose SHA-256 is {@code inputSha256}; every run shares the one Parquet key. */
    static LoadRequest request(String runId, String inputSha256) {
        return new LoadRequest(runId, PARQUET, convert.AvroSchemas.load("classpath:schemas/products.avsc"), 20,
                               inputSha256);
    }

    /** The gzip CSV a run converts on Spark ({@code pipeline.convert.on=spark}), as the job's input. */
    static final String CSV = "s3://" + BUCKET + "/data/products.csv.gz";

    /** A request of run-1 for {@link #CSV}, converted on Spark by its convert spec, its rejects beside. */
    static LoadRequest csvConvertedOnSpark() {
        LoadRequest.CsvInput input = new LoadRequest.CsvInput("s3://" + BUCKET + "/data/products.convert.json",
                "s3://" + BUCKET + "/data/products.rejects.csv", ".csv.gz");
        return new LoadRequest("run-1", CSV, request("run-1").schema(), -1, "sha-of-run-1", null, null, null, -1, null,
                input);
    }
}
