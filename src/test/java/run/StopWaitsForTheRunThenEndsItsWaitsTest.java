package run;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.CamelContext;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.camel.support.DefaultProducer;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The context's stop with {@link GracefulStop}: a run in flight goes on while the stop waits, and may still reach an
 * endpoint it creates then (Camel would leave that endpoint unstarted); a run that ends within the shutdown timeout is
 * never cut short; one still waiting when the timeout is about to pass has its wait ended, and the stop ends in time.
 */
class StopWaitsForTheRunThenEndsItsWaitsTest {

    private static final Duration LIMIT = Duration.ofSeconds(60);

    @Test
    void runThatEndsDuringTheStopFinishesWithWhatItNeeds() throws Exception {
        CountDownLatch inFlight = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger endedWaits = new AtomicInteger();
        try (CamelContext camel = context(60, endedWaits::incrementAndGet, exchange -> {
            inFlight.countDown();
            release.await();
        })) {
            CompletableFuture<Object> run = camel.createProducerTemplate().asyncRequestBody("direct:run", "csv");
            assertTrue(inFlight.await(LIMIT.toSeconds(), TimeUnit.SECONDS), "the run started");
            CompletableFuture<Void> stop = CompletableFuture.runAsync(camel::stop);
            await("the stop to begin").atMost(LIMIT).until(camel::isStopping);
            release.countDown();

            // the endpoint the run created during the stop was started, as a running context starts it
            assertEquals("sent through a started endpoint", run.get(LIMIT.toSeconds(), TimeUnit.SECONDS));
            stop.get(LIMIT.toSeconds(), TimeUnit.SECONDS);
            assertEquals(0, endedWaits.get(), "nothing was ended: the run finished within the timeout");
        }
    }

    @Test
    void waitStillGoingWhenTheTimeRunsOutIsEnded() throws Exception {
        CountDownLatch inFlight = new CountDownLatch(1);
        CountDownLatch ended = new CountDownLatch(1);
        AtomicInteger inFlightWhenEnded = new AtomicInteger(-1);
        CamelContext[] holder = new CamelContext[1];
        try (CamelContext camel = context(4, () -> {
            inFlightWhenEnded.set(holder[0].getInflightRepository().size());
            ended.countDown();
        }, exchange -> {
            inFlight.countDown();
            ended.await();
            throw new IllegalStateException("the wait ended: the app is stopping");
        })) {
            holder[0] = camel;
            CompletableFuture<Object> run = camel.createProducerTemplate().asyncRequestBody("direct:run", "csv");
            assertTrue(inFlight.await(LIMIT.toSeconds(), TimeUnit.SECONDS), "the run started");
            CompletableFuture<Void> stop = CompletableFuture.runAsync(camel::stop);

            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> run.get(LIMIT.toSeconds(), TimeUnit.SECONDS));
            assertTrue(String.valueOf(e.getCause().getCause()).contains("the app is stopping"), String.valueOf(e));
            assertTrue(inFlightWhenEnded.get() > 0, "ended while the run was in flight");
            stop.get(LIMIT.toSeconds(), TimeUnit.SECONDS);
        }
    }

    @Test
    void waitsEndFiveSecondsBeforeTheTimeoutOrHalfWayThroughAShorterOne() {
        assertEquals(Duration.ofSeconds(5), GracefulStop.margin(Duration.ofSeconds(30)));
        assertEquals(Duration.ofSeconds(3), GracefulStop.margin(Duration.ofSeconds(6)));
    }

    /** A context whose route runs {@code work}, then sends to an endpoint it creates then ({@code toD}). */
    private static CamelContext context(int shutdownTimeoutSeconds, Runnable endWaits, Processor work)
            throws Exception {
        CamelContext camel = new DefaultCamelContext();
        camel.getShutdownStrategy().setTimeout(shutdownTimeoutSeconds);
        GracefulStop.of(camel).whenTimeRunsOut(endWaits);
        camel.addComponent("started", new StartedComponent());
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:run").routeId("products-ingest")
                        .process(work)
                        .toD("started:upload");
            }
        });
        camel.start();
        return camel;
    }

    /** Endpoints whose producer says whether its endpoint was started, as the S3 endpoint needs to be. */
    private static final class StartedComponent extends DefaultComponent {

        @Override
        protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
            return new DefaultEndpoint(uri, this) {
                @Override
                public Producer createProducer() {
                    return new DefaultProducer(this) {
                        @Override
                        public void process(Exchange exchange) {
                            exchange.getMessage().setBody(((DefaultEndpoint) getEndpoint()).isStarted()
                                    ? "sent through a started endpoint" : "sent through an endpoint never started");
                        }
                    };
                }

                @Override
                public Consumer createConsumer(Processor processor) {
                    throw new UnsupportedOperationException();
                }
            };
        }
    }
}
