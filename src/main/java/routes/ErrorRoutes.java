package routes;

import core.NothingToLoadException;
import config.ErrorsConfig;
import config.PipelineConfig;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.endpoint.EndpointRouteBuilder;
import org.apache.camel.builder.endpoint.EndpointRouteConfigurationBuilder;
import run.TransientErrors;

/**
 * The error channel, declared once for every pipeline route: transient failures (I/O, throttling, 5xx) are
 * redelivered with exponential backoff, everything else fails the run at once; either way the run ends in
 * {@code direct:failed}, which logs one line, writes the report and keeps the input aside.
 */
public final class ErrorRoutes extends EndpointRouteBuilder {

    public static final String CONFIGURATION = "pipeline-errors";

    @Override
    public void configure() {
        from(direct("failed")).routeId("failed")
                .bean("runRecorder", "failed");

        from(direct("skipped")).routeId("skipped")
                .bean("runRecorder", "skipped");
    }

    /** The route configuration every pipeline route refers to by {@link #CONFIGURATION}. */
    public static final class Configuration extends EndpointRouteConfigurationBuilder {

        @Override
        public void configuration() {
            ErrorsConfig errors = getContext().getRegistry()
                    .findSingleByType(PipelineConfig.class).errors();
            routeConfiguration(CONFIGURATION)
                    .onException(NothingToLoadException.class)
                        .handled(true)
                        .to(direct("skipped"))
                    .end()
                    .onException(Exception.class)
                        .onWhen(exchange -> TransientErrors.isTransient(exchange.getException()))
                        .maximumRedeliveries(errors.maximumRedeliveries())
                        .redeliveryDelay(errors.redeliveryDelay().toMillis())
                        .useExponentialBackOff()
                        .backOffMultiplier(errors.backOffMultiplier())
                        .maximumRedeliveryDelay(errors.maximumRedeliveryDelay().toMillis())
                        .retryAttemptedLogLevel(LoggingLevel.WARN)
                        .logExhausted(false)
                        .handled(true)
                        .to(direct("failed"))
                    .end()
                    .onException(Exception.class)
                        .logExhausted(false)
                        .handled(true)
                        .to(direct("failed"))
                    .end();
        }
    }
}
