package run;

import java.util.Objects;
import java.util.Optional;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * The failure that began a step's redeliveries, kept on the exchange by the error channel before each redelivery: a
 * run that still fails once they are spent is reported with it (a download cut short, "Premature end of
 * Content-Length delimited message body"), and with the last one when that says something else. A step is told by the
 * endpoint it failed at: the failure kept for one step is not read for another's.
 */
public final class FirstFailure implements Processor {

    private static final String PROPERTY = "pipelineFirstFailure";

    private record Kept(Exception failure, String endpoint) {
    }

    /** Called before each redelivery, with the failure just caught. */
    @Override
    public void process(Exchange exchange) {
        Exception caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String endpoint = exchange.getProperty(Exchange.TO_ENDPOINT, String.class);
        Kept kept = exchange.getProperty(PROPERTY, Kept.class);
        if (caught != null && (kept == null || !Objects.equals(kept.endpoint(), endpoint))) {
            exchange.setProperty(PROPERTY, new Kept(caught, endpoint));
        }
    }

    /** The first failure of the step whose last failure ends the run, if that step was redelivered. */
    static Optional<Exception> of(Exchange exchange) {
        Kept kept = exchange.getProperty(PROPERTY, Kept.class);
        String failedAt = exchange.getProperty(Exchange.FAILURE_ENDPOINT, String.class);
        return kept != null && Objects.equals(kept.endpoint(), failedAt) ? Optional.of(kept.failure())
                : Optional.empty();
    }
}
