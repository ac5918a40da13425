package run;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An Error thrown by a step, as an OutOfMemoryError in the query stage would be, reaches the route's error handling
 * as an exception, naming the heap; without the strategy it unwinds past Camel and kills the caller's thread (a
 * trigger's), leaving the run unreported and a one-shot app waiting forever.
 */
class ErrorsEndTheRunTest {

    @Test
    void anErrorOfAStepGoesToTheErrorChannel() throws Exception {
        List<Exception> handled = new CopyOnWriteArrayList<>();
        try (CamelContext camel = new DefaultCamelContext()) {
            camel.getCamelContextExtension().addInterceptStrategy(new ErrorsEndTheRun());
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    onException(Exception.class).handled(true)
                            .process(e -> handled.add(e.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class)));
                    from("direct:query").routeId("products-query")
                            .process(e -> e.getMessage().setBody("planned"))
                            .process(e -> {
                                throw new OutOfMemoryError("Java heap space");
                            })
                            .process(e -> e.getMessage().setBody("never reached"));
                }
            });
            camel.start();

            Object body = camel.createProducerTemplate().requestBody("direct:query", "sql");

            assertEquals("planned", body, "the step after the failing one does not run");
            assertEquals(1, handled.size(), String.valueOf(handled));
            assertInstanceOf(ErrorsEndTheRun.StepError.class, handled.get(0));
            assertInstanceOf(OutOfMemoryError.class, handled.get(0).getCause());
            assertTrue(handled.get(0).getMessage().startsWith("java.lang.OutOfMemoryError: Java heap space (the heap is ")
                       && handled.get(0).getMessage().endsWith(" MB: give the JVM more with -Xmx)"),
                       handled.get(0).getMessage());
        }
    }
}
