package run;

import org.apache.camel.Exchange;

/**
 * Told when a polled source's content is settled (loaded, skipped, or rejected as bad data), so that the same content
 * is not fetched and processed again on every tick, or when a run of it failed for another reason, so that the source
 * is polled again with a growing backoff; the HTTP source's memory is the one implementation.
 */
@FunctionalInterface
public interface SettledContent {

    void contentSettled(Exchange exchange);

    /** A run of a polled source failed for the infrastructure's sake: the next polls of it may wait longer. */
    default void failedForNow(Exchange exchange) {
    }
}
