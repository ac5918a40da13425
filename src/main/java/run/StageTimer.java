package run;

import core.Pipeline;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.CamelEvent.ExchangeSentEvent;
import org.apache.camel.support.EventNotifierSupport;

/** Adds the time each stage took ({@code direct:<stage>}) to the run's {@code stageMs}, without touching the routes. */
public final class StageTimer extends EventNotifierSupport {

    public StageTimer() {
        setIgnoreCamelContextEvents(true);
        setIgnoreRouteEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreExchangeCreatedEvent(true);
        setIgnoreExchangeCompletedEvent(true);
        setIgnoreExchangeFailedEvents(true);
        setIgnoreExchangeRedeliveryEvents(true);
        // sending events stay on: without a listener for them Camel does not time the send at all
        setIgnoreStepEvents(true);
    }

    @Override
    public void notify(CamelEvent event) {
        if (event instanceof ExchangeSentEvent sent && sent.getEndpoint().getEndpointUri().startsWith("direct://")) {
            PipelineRun run = sent.getExchange().getProperty(Pipeline.RUN, PipelineRun.class);
            if (run != null) {
                String stage = PipelineStages.of(run.getDataset(),
                        sent.getEndpoint().getEndpointUri().substring("direct://".length()));
                if (PipelineStages.isStage(stage)) {
                    run.stageTook(stage, sent.getTimeTaken());
                }
            }
        }
    }
}
