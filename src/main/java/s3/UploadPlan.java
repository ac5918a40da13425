package s3;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Optional;

import core.Pipeline;
import config.S3Config;
import core.ConversionResult;
import core.DiskSpace;
import core.SparkConversion;
import org.apache.camel.Exchange;
import org.apache.camel.component.aws2.s3.AWS2S3Constants;
import run.PipelineRun;

/**
 * Decides where the run's files go in S3: the Parquet under {@code pipeline.s3.key} (placeholders {@code {dataset}},
 * {@code {date}} and {@code {runId}}), the rejects CSV next to it.
 */
public final class UploadPlan {

    private final S3Config config;
    private final String dataset;
    private final Optional<Path> embeddedStorage;

    public UploadPlan(S3Config config, String dataset) {
        this(config, dataset, Optional.empty());
    }

    /** {@code embeddedStorage}: where the embedded S3 server keeps its objects, when it is the one uploaded to. */
    public UploadPlan(S3Config config, String dataset, Optional<Path> embeddedStorage) {
        this.config = config;
        this.dataset = dataset;
        this.embeddedStorage = embeddedStorage;
    }

    public String key(String runId) {
        return config.keyTemplate()
                .replace("{dataset}", dataset)
                .replace("{date}", LocalDate.now(ZoneOffset.UTC).toString())
                .replace("{runId}", runId);
    }

    /**
     * Body: the Parquet file; header: its key; the run learns its URI. The embedded server stores a copy on the data
     * dir's disk: a disk without room for it fails the run here, saying so (the server would answer only "500
     * internal error").
     */
    public void parquet(Exchange exchange) throws IOException {
        PipelineRun run = exchange.getProperty(Pipeline.RUN, PipelineRun.class);
        SparkConversion onSpark = exchange.getProperty(SparkConversion.PROPERTY, SparkConversion.class);
        if (onSpark != null) {
            csv(exchange, run, onSpark);
            return;
        }
        ConversionResult conversion = exchange.getProperty(ConversionResult.PROPERTY, ConversionResult.class);
        String key = key(run.getRunId());
        if (embeddedStorage.isPresent()) {
            checkRoom(embeddedStorage.get(), conversion.parquetBytes(), key);
        }
        exchange.getIn().setBody(conversion.parquetFile().toFile());
        exchange.getIn().setHeader(AWS2S3Constants.KEY, key);
        exchange.getIn().setHeader(AWS2S3Constants.CONTENT_TYPE, "application/vnd.apache.parquet");
        run.setParquetUri("s3://" + config.bucket() + "/" + key);
    }

    /**
     * The Spark job converts the CSV: the input as received goes where the Parquet would, its key ending as its
     * compression ({@code .csv.gz}), so that Spark reads it through the codec of that ending.
     */
    private void csv(Exchange exchange, PipelineRun run, SparkConversion onSpark) throws IOException {
        String key = stem(run.getRunId()) + onSpark.extension();
        if (embeddedStorage.isPresent()) {
            checkRoom(embeddedStorage.get(), Files.size(onSpark.input()), key);
        }
        exchange.getIn().setBody(onSpark.input().toFile());
        exchange.getIn().setHeader(AWS2S3Constants.KEY, key);
        exchange.getIn().setHeader(AWS2S3Constants.CONTENT_TYPE, "text/csv");
        run.setCsvUri("s3://" + config.bucket() + "/" + key);
    }

    /** Whether the Spark job converts the CSV: its convert spec goes beside it. */
    public boolean hasSpec(Exchange exchange) {
        return exchange.getProperty(SparkConversion.PROPERTY) != null;
    }

    /** Body: the convert spec; key: the input's stem with {@code .convert.json}. */
    public void spec(Exchange exchange) {
        PipelineRun run = exchange.getProperty(Pipeline.RUN, PipelineRun.class);
        SparkConversion onSpark = exchange.getProperty(SparkConversion.PROPERTY, SparkConversion.class);
        exchange.getIn().setBody(onSpark.spec().toFile());
        String csvKey = run.getCsvUri().substring(("s3://" + config.bucket() + "/").length());
        exchange.getIn().setHeader(AWS2S3Constants.KEY, onSpark.beside(csvKey, SparkConversion.SPEC));
        exchange.getIn().setHeader(AWS2S3Constants.CONTENT_TYPE, "application/json");
    }

    private String rejectsKey(String runId) {
        return stem(runId) + SparkConversion.REJECTS;
    }

    /** The key without its {@code .parquet}. */
    private String stem(String runId) {
        return key(runId).replaceFirst("\\.parquet$", "");
    }

    private void checkRoom(Path storage, long bytes, String key) throws IOException {
        Path existing = storage;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing != null && Files.getFileStore(existing).getUsableSpace() < bytes) {
            throw new IOException("No space left on device for s3://" + config.bucket() + "/" + key + " (" + bytes
                                  + " bytes) in the embedded S3 server's storage " + storage + " ("
                                  + DiskSpace.describe(storage) + ")");
        }
    }

    public boolean hasRejects(Exchange exchange) {
        ConversionResult conversion = exchange.getProperty(ConversionResult.PROPERTY, ConversionResult.class);
        return conversion != null && conversion.rejectsFile() != null;
    }

    /** Body: the rejects CSV; key: the Parquet's key with {@code .rejects.csv} in place of its extension. */
    public void rejects(Exchange exchange) {
        PipelineRun run = exchange.getProperty(Pipeline.RUN, PipelineRun.class);
        ConversionResult conversion = exchange.getProperty(ConversionResult.PROPERTY, ConversionResult.class);
        String key = rejectsKey(run.getRunId());
        Path file = conversion.rejectsFile();
        exchange.getIn().setBody(file.toFile());
        exchange.getIn().setHeader(AWS2S3Constants.KEY, key);
        exchange.getIn().setHeader(AWS2S3Constants.CONTENT_TYPE, "text/csv");
        run.setRejectsUri("s3://" + config.bucket() + "/" + key);
    }
}
