package routes;

import java.time.Duration;
import java.util.Locale;

import config.Datasets;
import config.PipelineConfig;
import config.S3SourceConfig;
import core.Pipeline;
import org.apache.camel.builder.endpoint.EndpointRouteBuilder;
import org.apache.camel.builder.endpoint.dsl.AWS2S3EndpointBuilderFactory.AWS2S3EndpointConsumerBuilder;
import org.apache.camel.component.aws2.s3.AWS2S3Constants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import run.RunRecorder;
import source.S3PrefixPasses;

/**
 * The S3 source of {@code pipeline.s3source.url}: Camel's {@code aws2-s3} consumer reads the objects directly under
 * the prefix in key order, one at a time, each one a run whose object is stored as a download
 * ({@code <dataset>-s3-fetch}, through {@code <dataset>-download}) and handed to {@code direct:<dataset>-ingest}.
 * When the run ends, {@code source.S3SourceObjects} keeps, moves or deletes the object, or moves a failed one aside.
 */
public final class S3SourceRoutes extends EndpointRouteBuilder {

    /** The bean of a dataset's S3 source configuration, bound only when {@code pipeline.s3source.url} is set. */
    public static final String CONFIG = "s3SourceConfig";

    private static final Logger LOG = LoggerFactory.getLogger(S3SourceRoutes.class);
    /** The consumer's poll strategy and client: {@link S3PrefixPasses}. */
    public static final String PASSES = "s3PrefixPasses";
    public static final String CLIENT = "s3SourceClient";

    @Override
    public void configure() {
        Datasets datasets = getContext().getRegistry().lookupByNameAndType(Datasets.BEAN, Datasets.class);
        for (PipelineConfig dataset : datasets.all()) {
            S3SourceConfig source = getContext().getRegistry()
                    .lookupByNameAndType(Pipeline.bean(dataset.dataset(), CONFIG), S3SourceConfig.class);
            if (source != null && !datasets.oneShot()) {
                configure(dataset.dataset(), source);
                // beside the dataset's line of routes.TriggerRoutes
                LOG.info("Dataset {}: trigger s3-poll (s3://{}/{} every {})", dataset.dataset(), source.bucket(),
                        source.prefix(), source.pollInterval().toString().substring(2).toLowerCase(Locale.ROOT));
            }
        }
    }

    private void configure(String dataset, S3SourceConfig source) {
        String errors = ErrorRoutes.configurationOf(dataset);
        String objects = Pipeline.bean(dataset, "s3SourceObjects");
        RunRecorder runs = getContext().getRegistry().lookupByNameAndType(Pipeline.bean(dataset, "runRecorder"),
                RunRecorder.class);

        from(consumer(dataset, source))
                .routeId(dataset + "-s3-source")
                .routeConfigurationId(errors)
                // an object a run ended with in place (afterRun=keep) starts none until it changes
                .filter(method(objects, "isNew").isEqualTo(false))
                    .stop()
                .end()
                .process(exchange -> runs.startFromS3(exchange,
                        source.uri(exchange.getIn().getHeader(AWS2S3Constants.KEY, String.class))))
                .bean(objects, "takeCharge")
                .to(direct(dataset + "-download"))
                .to(direct(dataset + "-ingest"));

        from(direct(dataset + "-s3-fetch")).routeId(dataset + "-s3-fetch")
                // failures go back to the download route, whose error channel redelivers or fails the run
                .errorHandler(noErrorHandler())
                .process(Pipeline.bean(dataset, "s3ObjectDownload"));
    }

    /**
     * One object a poll, its body a stream the run reads (never bytes in memory), nothing deleted or moved by the
     * consumer itself; only the keys up to the prefix's next {@code /}, so {@code .done/} and {@code .failed/} are not
     * read; passes over the prefix a poll interval apart ({@link S3PrefixPasses}), polls within a pass back to back.
     */
    private AWS2S3EndpointConsumerBuilder consumer(String dataset, S3SourceConfig source) {
        Duration tick = source.pollInterval().compareTo(Duration.ofSeconds(1)) < 0
                ? source.pollInterval() : Duration.ofSeconds(1);
        AWS2S3EndpointConsumerBuilder endpoint = aws2S3(source.bucket())
                .prefix(source.prefix())
                .delimiter("/")
                .maxMessagesPerPoll(1)
                .greedy(true)
                .delay(tick.toMillis())
                .initialDelay(0)
                .deleteAfterRead(false)
                .moveAfterRead(false)
                .includeBody(false)
                .autoCreateBucket(false);
        endpoint.advanced()
                // the body is closed when the exchange is done; a body still unread was aborted before
                .autocloseBody(true)
                .pollStrategy("#" + Pipeline.bean(dataset, PASSES))
                .amazonS3Client("#" + Pipeline.bean(dataset, CLIENT));
        return endpoint;
    }
}
