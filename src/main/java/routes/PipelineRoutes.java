package routes;

import config.Datasets;
import config.PipelineConfig;
import config.S3Config;
import core.ConversionResult;
import core.Pipeline;
import org.apache.camel.Exchange;
import org.apache.camel.Predicate;
import org.apache.camel.builder.endpoint.EndpointRouteBuilder;
import org.apache.camel.component.aws2.s3.AWS2S3Constants;
import org.apache.camel.builder.endpoint.dsl.AWS2S3EndpointBuilderFactory.AWS2S3EndpointProducerBuilder;
import org.apache.camel.http.common.HttpMethods;

/**
 * The pipeline itself, for each dataset: download, convert, upload, load and query, each stage a {@code direct:} route
 * named after the dataset and the stage ({@code products-load}), joined by {@code direct:<dataset>-ingest}. A stage
 * that finds nothing to load ends the run in {@code direct:<dataset>-skipped}; failures of any stage go to the
 * dataset's error channel of {@link ErrorRoutes}.
 */
public final class PipelineRoutes extends EndpointRouteBuilder {

    @Override
    public void configure() {
        Datasets datasets = getContext().getRegistry().lookupByNameAndType(Datasets.BEAN, Datasets.class);
        for (PipelineConfig dataset : datasets.all()) {
            configure(dataset);
        }
    }

    /**
     * The routes of one dataset, ids and endpoints named {@code <dataset>-<stage>}, with the dataset's own beans. Values
     * come from the dataset's configuration, not {@code {{pipeline.*}}} placeholders: a placeholder cannot choose a
     * dataset's own {@code pipeline.dataset.<name>.*} value.
     */
    private void configure(PipelineConfig config) {
        String dataset = config.dataset();
        String errors = ErrorRoutes.configurationOf(dataset);

        from(direct(dataset + "-ingest")).routeId(dataset + "-ingest")
                .routeConfigurationId(errors)
                // one run at a time on the table, in arrival order, whatever the trigger
                .bean(Pipeline.bean(dataset, "runQueue"), "enter")
                // the input's SHA-256: a download's is known, a local file's is computed alongside the convert stage
                .bean(Pipeline.bean(dataset, "identifyInput"), "identify")
                .to(direct(dataset + "-prepare"))
                .to(direct(dataset + "-convert"))
                .to(direct(dataset + "-skip-if-loaded"))
                .to(direct(dataset + "-upload"))
                .to(direct(dataset + "-load"))
                .to(direct(dataset + "-query"))
                .bean(Pipeline.bean(dataset, "runRecorder"), "succeeded");

        // an input the table already holds ends SKIPPED here, before any work; then the run's schema, the dataset's
        // or one inferred from the CSV's header and first rows, is fitted to the table (a missing one is created
        // for a given schema), whose field ids the convert writes
        from(direct(dataset + "-prepare")).routeId(dataset + "-prepare")
                .routeConfigurationId(errors)
                .bean(Pipeline.bean(dataset, "loadStage"), "prepare")
                .filter(nothingToLoad()).to(direct(dataset + "-skipped")).stop().end()
                .process(Pipeline.bean(dataset, "schemaInference"))
                .bean(Pipeline.bean(dataset, "loadStage"), "fitSchema");

        // or here, an input of a size the table held none of, once its SHA-256 (computed during the convert) is known
        from(direct(dataset + "-skip-if-loaded")).routeId(dataset + "-skip-if-loaded")
                .routeConfigurationId(errors)
                .bean(Pipeline.bean(dataset, "loadStage"), "skipIfLoaded")
                .filter(nothingToLoad()).to(direct(dataset + "-skipped")).stop().end();

        // the end of a run that found nothing to load: no later stage runs, the report says why
        from(direct(dataset + "-skipped")).routeId(dataset + "-skipped")
                .bean(Pipeline.bean(dataset, "runRecorder"), "skipped");

        from(direct(dataset + "-download")).routeId(dataset + "-download")
                .routeConfigurationId(errors)
                // a redelivery repeats this step whole: a new request, its body read from its start
                .choice()
                    // an object of pipeline.s3source.url, its GET begun by the S3 source (S3SourceRoutes)
                    .when(header(AWS2S3Constants.KEY).isNotNull())
                        .to(direct(dataset + "-s3-fetch"))
                    .otherwise()
                        .to(direct(dataset + "-fetch"))
                .end();

        from(direct(dataset + "-fetch")).routeId(dataset + "-fetch")
                // failures go back to the download route, whose error channel redelivers or fails the run
                .errorHandler(noErrorHandler())
                // the body as the server sent it: camel-http would otherwise inflate a Content-Encoding: gzip body
                .setProperty(Exchange.SKIP_GZIP_ENCODING, constant(true))
                .to(http("source")
                        .httpMethod(HttpMethods.GET)
                        .disableStreamCache(true)
                        .advanced()
                        .followRedirects(true)
                        .okStatusCodeRange("200-299,304"))
                .filter(header(Exchange.HTTP_RESPONSE_CODE).isNotEqualTo(304))
                    .bean(Pipeline.bean(dataset, "httpSourceMemory"), "rememberValidators")
                    .process(Pipeline.bean(dataset, "downloadToFile"))
                .end();

        from(direct(dataset + "-convert")).routeId(dataset + "-convert")
                .routeConfigurationId(errors)
                .choice()
                    // pipeline.convert.on: the Spark job converts the CSV, uploaded as received with its convert spec
                    .when(method(Pipeline.bean(dataset, "sparkConvertSpec"), "applies"))
                        .process(Pipeline.bean(dataset, "sparkConvertSpec"))
                    .otherwise()
                        .to(direct(dataset + "-convert-here"))
                .end()
                // a merge's keys, read from the converted file: two rows with one key fail the run here
                .bean(Pipeline.bean(dataset, "loadStage"), "readKeys");

        from(direct(dataset + "-convert-here")).routeId(dataset + "-convert-here")
                // failures go back to the convert route, whose error channel redelivers or fails the run
                .errorHandler(noErrorHandler())
                // a pass that finds values its inferred schema does not hold widens their columns and ends without a
                // conversion: the wider schema is fitted to the table and the file converted again
                .loopDoWhile(exchangeProperty(ConversionResult.PROPERTY).isNull())
                    // a redelivery repeats this step whole: the CSV is opened again and read from its start
                    .to(direct(dataset + "-convert-csv"))
                    // a header and no rows
                    .filter(nothingToLoad()).to(direct(dataset + "-skipped")).stop().end()
                    .filter(exchangeProperty(ConversionResult.PROPERTY).isNull())
                        .bean(Pipeline.bean(dataset, "loadStage"), "fitSchema")
                    .end()
                .end()
                .bean(Pipeline.bean(dataset, "runRecorder"), "converted");

        from(direct(dataset + "-convert-csv")).routeId(dataset + "-convert-csv")
                // failures go back to the convert route, whose error channel redelivers or fails the run
                .errorHandler(noErrorHandler())
                // the CSV must stream through the CSV data format, never be cached whole
                .noStreamCaching()
                .process(Pipeline.bean(dataset, "openCsvInput"))
                .unmarshal().custom(Pipeline.bean(dataset, "csvFormat"))
                .process(Pipeline.bean(dataset, "parquetWriter"));

        // toD: the endpoint starts at the first upload, not with the route. Starting, it asks whether the bucket
        // exists (S3Buckets did already), and the local profile's embedded S3 server is still starting then: the
        // routes would wait for it instead of the run converting meanwhile
        AWS2S3EndpointProducerBuilder s3 = s3Upload(config.s3());
        from(direct(dataset + "-upload")).routeId(dataset + "-upload")
                .routeConfigurationId(errors)
                .bean(Pipeline.bean(dataset, "uploadPlan"), "parquet")
                .toD(s3)
                .filter(method(Pipeline.bean(dataset, "uploadPlan"), "hasSpec"))
                    .bean(Pipeline.bean(dataset, "uploadPlan"), "spec")
                    .toD(s3)
                .end()
                .filter(method(Pipeline.bean(dataset, "uploadPlan"), "hasRejects"))
                    .bean(Pipeline.bean(dataset, "uploadPlan"), "rejects")
                    .toD(s3)
                .end();

        from(direct(dataset + "-load")).routeId(dataset + "-load")
                .routeConfigurationId(errors)
                .process(Pipeline.bean(dataset, "loadStage"))
                // the engine's own look found the input in the table (spark-submit, EMR), or the file holds no rows
                .filter(nothingToLoad()).to(direct(dataset + "-skipped")).stop().end();

        from(direct(dataset + "-query")).routeId(dataset + "-query")
                .routeConfigurationId(errors)
                .process(Pipeline.bean(dataset, "queryStage"));
    }

    /** A stage found nothing to load ({@link Pipeline#SKIPPED} says why): the run ends SKIPPED, not FAILED. */
    private Predicate nothingToLoad() {
        return exchangeProperty(Pipeline.SKIPPED).isNotNull();
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
