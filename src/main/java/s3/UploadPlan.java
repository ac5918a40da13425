package s3;

import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;

import core.Pipeline;
import config.S3Config;
import core.ConversionResult;
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

    public UploadPlan(S3Config config, String dataset) {
        this.config = config;
        this.dataset = dataset;
    }

    public String key(String runId) {
        return config.keyTemplate()
                .replace("{dataset}", dataset)
                .replace("{date}", LocalDate.now(ZoneOffset.UTC).toString())
                .replace("{runId}", runId);
    }

    /** Body: the Parquet file; header: its key; the run learns its URI. */
    public void parquet(Exchange exchange) {
        PipelineRun run = exchange.getProperty(Pipeline.RUN, PipelineRun.class);
        ConversionResult conversion = exchange.getProperty(ConversionResult.PROPERTY, ConversionResult.class);
        String key = key(run.getRunId());
        exchange.getIn().setBody(conversion.parquetFile().toFile());
        exchange.getIn().setHeader(AWS2S3Constants.KEY, key);
        exchange.getIn().setHeader(AWS2S3Constants.CONTENT_TYPE, "application/vnd.apache.parquet");
        run.setParquetUri("s3://" + config.bucket() + "/" + key);
    }

    public boolean hasRejects(Exchange exchange) {
        ConversionResult conversion = exchange.getProperty(ConversionResult.PROPERTY, ConversionResult.class);
        return conversion.rejectsFile() != null;
    }

    /** Body: the rejects CSV; key: the Parquet's key with {@code .rejects.csv} in place of its extension. */
    public void rejects(Exchange exchange) {
        PipelineRun run = exchange.getProperty(Pipeline.RUN, PipelineRun.class);
        ConversionResult conversion = exchange.getProperty(ConversionResult.PROPERTY, ConversionResult.class);
        String parquetKey = key(run.getRunId());
        String key = parquetKey.replaceFirst("\\.parquet$", "") + ".rejects.csv";
        Path file = conversion.rejectsFile();
        exchange.getIn().setBody(file.toFile());
        exchange.getIn().setHeader(AWS2S3Constants.KEY, key);
        exchange.getIn().setHeader(AWS2S3Constants.CONTENT_TYPE, "text/csv");
        run.setRejectsUri("s3://" + config.bucket() + "/" + key);
    }
}
