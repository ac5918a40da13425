package run;

import org.apache.camel.Exchange;

/**
 * Told when a polled source's content is settled (loaded, skipped, or rejected as bad data), so that the same content
 * is not fetched and processed again on every tick; the HTTP source's memory is the one implementation.
 */
@FunctionalInterface
public interface SettledContent {

    void contentSettled(Exchange exchange);
}
