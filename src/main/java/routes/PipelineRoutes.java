package routes;

import config.PipelineConfig;
import config.S3Config;
import org.apache.camel.Exchange;
import org.apache.camel.builder.endpoint.EndpointRouteBuilder;
import org.apache.camel.builder.endpoint.dsl.AWS2S3EndpointBuilderFactory.AWS2S3EndpointProducerBuilder;

/**
 * The pipeline itself: download, convert, upload, load and query, each stage a {@code direct:} route named after it,
 * joined by {@code direct:ingest}. Failures of any stage go to the error channel of {@link ErrorRoutes}.
 */
public final class PipelineRoutes extends EndpointRouteBuilder {

    @Override
    public void configure() {
        PipelineConfig config = getContext().getRegistry().findSingleByType(PipelineConfig.class);

        from(direct("ingest")).routeId("ingest")
                .routeConfigurationId(ErrorRoutes.CONFIGURATION)
                // one run at a time on the table, in arrival order, whatever the trigger
                .bean("runQueue", "enter")
                .bean("runRecorder", "identify")
                .to(direct("prepare"))
                .to(direct("convert"))
                .to(direct("upload"))
                .to(direct("load"))
                .to(direct("query"))
                .bean("runRecorder", "succeeded");

        // an input the table already holds ends SKIPPED here, before any work; a missing table is created
        from(direct("prepare")).routeId("prepare")
                .routeConfigurationId(ErrorRoutes.CONFIGURATION)
                .bean("loadStage", "prepare");

        from(direct("download")).routeId("download")
                .routeConfigurationId(ErrorRoutes.CONFIGURATION)
                .to(http("source")
                        .disableStreamCache(true)
                        .advanced()
                        .followRedirects(true)
                        .okStatusCodeRange("200-299,304"))
                .filter(header(Exchange.HTTP_RESPONSE_CODE).isNotEqualTo(304))
                    .bean("httpSourceMemory", "rememberValidators")
                    .process("downloadToFile")
                .end();

        from(direct("convert")).routeId("convert")
                .routeConfigurationId(ErrorRoutes.CONFIGURATION)
                // a redelivery repeats this step whole: the CSV is opened again and read from its start
                .to(direct("convert-csv"))
                .bean("runRecorder", "converted");

        from(direct("convert-csv")).routeId("convert-csv")
                // failures go back to the convert route, whose error channel redelivers or fails the run
                .errorHandler(noErrorHandler())
                // the CSV must stream through the CSV data format, never be cached whole
                .noStreamCaching()
                .process("openCsvInput")
                .unmarshal().custom("csvFormat")
                .process("parquetWriter");

        AWS2S3EndpointProducerBuilder s3 = s3Upload(config.s3());
        from(direct("upload")).routeId("upload")
                .routeConfigurationId(ErrorRoutes.CONFIGURATION)
                .bean("uploadPlan", "parquet")
                .to(s3)
                .filter(method("uploadPlan", "hasRejects"))
                    .bean("uploadPlan", "rejects")
                    .to(s3)
                .end();

        from(direct("load")).routeId("load")
                .routeConfigurationId(ErrorRoutes.CONFIGURATION)
                .process("loadStage");

        from(direct("query")).routeId("query")
                .routeConfigurationId(ErrorRoutes.CONFIGURATION)
                .process("queryStage");
    }

    private AWS2S3EndpointProducerBuilder s3Upload(S3Config s3) {
        AWS2S3EndpointProducerBuilder endpoint = aws2S3("{{pipeline.s3.bucket}}")
                .autoCreateBucket(false)
                .multiPartUpload(true)
                .partSize(s3.partSize());
        endpoint.advanced().amazonS3Client("#s3Client");
        switch (s3.serverSideEncryption()) {
            case "aes256" -> endpoint.advanced().useSSES3(true);
            case "aws:kms" -> endpoint.advanced().useAwsKMS(true).awsKMSKeyId(s3.kmsKeyId().orElse(""));
            default -> { }
        }
        return endpoint;
    }
}
