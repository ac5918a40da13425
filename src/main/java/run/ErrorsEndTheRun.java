package run;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.NamedNode;
import org.apache.camel.Processor;
import org.apache.camel.spi.InterceptStrategy;
import org.apache.camel.support.processor.DelegateSyncProcessor;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.camel.support.service.ServiceSupport;

/**
 * Makes an {@link Error} thrown by a processor step ({@code .process(...)}: the stages' processors) the exchange's
 * exception, as an {@link OutOfMemoryError} in the load or the query would be. Camel bridges such a step with a
 * {@link DelegateSyncProcessor}, which catches exceptions only: an Error unwinds past the route's error handling and
 * kills the trigger's thread, the run unreported, its table's turn never given back, a one-shot app waiting forever.
 * As an exception, the run ends FAILED in the error channel, its input kept, like any other failure. (Camel's own
 * asynchronous steps, such as a bean call or an endpoint, catch Errors already.)
 */
public final class ErrorsEndTheRun implements InterceptStrategy {

    @Override
    public Processor wrapProcessorInInterceptors(CamelContext context, NamedNode definition, Processor target,
                                                 Processor nextTarget) {
        if (target instanceof DelegateSyncProcessor sync) {
            return new DelegateSyncProcessor(new Step(sync.getProcessor()));
        }
        return target;
    }

    /** The step's processor, its Errors thrown as {@link StepError}; started and stopped with it. */
    private static final class Step extends ServiceSupport implements Processor {

        private final Processor processor;

        Step(Processor processor) {
            this.processor = processor;
        }

        @Override
        public void process(Exchange exchange) throws Exception {
            try {
                processor.process(exchange);
            } catch (Error e) {
                throw new StepError(e);
            }
        }

        @Override
        protected void doStart() {
            ServiceHelper.startService(processor);
        }

        @Override
        protected void doStop() {
            ServiceHelper.stopService(processor);
        }
    }

    /** An {@link Error} of a step, as an exception; for an {@link OutOfMemoryError}, with the heap it ran out of. */
    public static final class StepError extends RuntimeException {

        StepError(Error cause) {
            super(cause + (cause instanceof OutOfMemoryError
                    ? " (the heap is " + (Runtime.getRuntime().maxMemory() >> 20) + " MB: give the JVM more with -Xmx)"
                    : ""), cause);
        }
    }
}
