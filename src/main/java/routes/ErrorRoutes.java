package routes;

import config.Datasets;
import config.ErrorsConfig;
import config.PipelineConfig;
import core.Pipeline;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.endpoint.EndpointRouteBuilder;
import org.apache.camel.builder.endpoint.EndpointRouteConfigurationBuilder;
import run.FirstFailure;
import run.TransientErrors;

/**
 * The error channel, declared once per dataset for every route of it: transient failures (I/O, throttling, 5xx) are
 * redelivered with exponential backoff, everything else fails the run at once; either way the run ends in
 * {@code direct:<dataset>-failed}, which logs one line, writes the report and keeps the input aside.
 */
public final class ErrorRoutes extends EndpointRouteBuilder {

    /** The id of the route configuration every route of {@code dataset} refers to. */
    public static String configurationOf(String dataset) {
        return dataset + "-errors";
    }

    @Override
    public void configure() {
        Datasets datasets = getContext().getRegistry().lookupByNameAndType(Datasets.BEAN, Datasets.class);
        for (PipelineConfig config : datasets.all()) {
            String dataset = config.dataset();
            from(direct(dataset + "-failed")).routeId(dataset + "-failed")
                    .bean(Pipeline.bean(dataset, "runRecorder"), "failed");

        }
    }

    /** The route configuration of each dataset, which every route of the dataset refers to by its id. */
    public static final class Configuration extends EndpointRouteConfigurationBuilder {

        @Override
        public void configuration() {
            Datasets datasets = getContext().getRegistry().lookupByNameAndType(Datasets.BEAN, Datasets.class);
            for (PipelineConfig config : datasets.all()) {
                configuration(config.dataset(), config.errors());
            }
        }

        private void configuration(String dataset, ErrorsConfig errors) {
            routeConfiguration(configurationOf(dataset))
                    .onException(Exception.class)
                        .onWhen(exchange -> TransientErrors.isTransient(exchange.getException()))
                        .maximumRedeliveries(errors.maximumRedeliveries())
                        .redeliveryDelay(errors.redeliveryDelay().toMillis())
                        .useExponentialBackOff()
                        .backOffMultiplier(errors.backOffMultiplier())
                        .maximumRedeliveryDelay(errors.maximumRedeliveryDelay().toMillis())
                        .retryAttemptedLogLevel(LoggingLevel.WARN)
                        // the report names the failure that began the redeliveries
                        .onRedelivery(new FirstFailure())
                        .logExhausted(false)
                        .handled(true)
                        .to(direct(dataset + "-failed"))
                    .end()
                    .onException(Exception.class)
                        .logExhausted(false)
                        .handled(true)
                        .to(direct(dataset + "-failed"))
                    .end();
        }
    }
}
