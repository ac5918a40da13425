package routes;

import config.InboxConfig;
import config.PipelineConfig;
import org.apache.camel.Exchange;
import org.apache.camel.builder.endpoint.EndpointRouteBuilder;
import org.apache.camel.builder.endpoint.dsl.FileEndpointBuilderFactory.FileEndpointConsumerBuilder;
import run.RunRecorder;

/**
 * What starts a run: a timer polling {@code pipeline.source.url}, a file dropped in the inbox, or the one-shot
 * {@code pipeline.once}. Each starts a run and hands its input to {@code direct:ingest}.
 */
public final class TriggerRoutes extends EndpointRouteBuilder {

    @Override
    public void configure() {
        PipelineConfig config = getContext().getRegistry().findSingleByType(PipelineConfig.class);
        RunRecorder runs = getContext().getRegistry().findSingleByType(RunRecorder.class);
        String sourceUrl = config.source().url().map(Object::toString).orElse("");
        String once = config.once().orElse("");

        from(timer("http-poll").period(config.source().pollInterval().toMillis()).delay(0))
                .routeId("http-poll")
                .routeConfigurationId(ErrorRoutes.CONFIGURATION)
                .autoStartup(config.httpPollingEnabled())
                .process(exchange -> runs.startFromHttp(exchange, sourceUrl))
                // a source whose runs keep failing for the infrastructure's sake is polled less and less often
                .filter(method("httpSourceMemory", "isDue").isEqualTo(false))
                    .bean("runRecorder", "discard")
                    .stop()
                .end()
                .process("sourceHeaders")
                .bean("httpSourceMemory", "addValidators")
                .to(direct("download"))
                .choice()
                    .when(header(Exchange.HTTP_RESPONSE_CODE).isEqualTo(304))
                        .log("${exchangeProperty.pipelineRun.source} not modified since the last load")
                        .bean("runRecorder", "discard")
                    .when(method("httpSourceMemory", "isNewContent"))
                        .to(direct("ingest"))
                    .otherwise()
                        .log("${exchangeProperty.pipelineRun.source} unchanged (sha256 ${header.PipelineSha256} is the last loaded content)")
                        .bean("httpSourceMemory", "contentSettled")
                        .bean("runRecorder", "discard")
                .end();

        FileEndpointConsumerBuilder inbox = file(config.inbox().dir().toString())
                // a file still being written under another name (x.csv.tmp, .x.csv) is not matched until renamed
                .include(config.inbox().include())
                // the run itself moves the file when it ends: .done/, or .failed/ with its .error.json
                .noop(true)
                .idempotent(false)
                .readLock("changed")
                // an empty file is read too (and rejected as empty), instead of blocking the inbox
                .readLockMinLength(0)
                .readLockMinAge(config.inbox().readLockMinAge().toMillis())
                .readLockCheckInterval(250)
                .delay(config.inbox().pollInterval().toMillis())
                .sortBy("file:modified");
        if (config.inbox().doneMarker()) {
            // x.csv is read only once x.csv.done exists; the run removes the marker when it moves the file
            inbox.doneFileName("${file:name}" + InboxConfig.DONE_MARKER_SUFFIX);
        }
        from(inbox)
                .routeId("inbox")
                .routeConfigurationId(ErrorRoutes.CONFIGURATION)
                .autoStartup(config.inboxEnabled())
                .bean("runRecorder", "startFromInbox")
                .process("inboxLinkCheck")
                .to(direct("ingest"));

        from(timer("once").repeatCount(1).delay(0))
                .routeId("once")
                .routeConfigurationId(ErrorRoutes.CONFIGURATION)
                .autoStartup(config.once().isPresent())
                .onCompletion()
                    .bean("oneShotCompletion", "finish")
                .end()
                .process(exchange -> runs.startOnce(exchange, once))
                .choice()
                    .when(header(Exchange.HTTP_URI).isNotNull())
                        .process("sourceHeaders")
                        .to(direct("download"))
                .end()
                .to(direct("ingest"));
    }
}
