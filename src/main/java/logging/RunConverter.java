package logging;

import java.util.Map;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import core.RunLogContext;

/**
 * {@code %run} of a pattern: {@code [products 20260101-120000-a1b2] } on the lines a run logs (its dataset and run
 * id, from the MDC: {@link RunLogContext}), nothing on the others.
 */
public class RunConverter extends ClassicConverter {

    @Override
    public String convert(ILoggingEvent event) {
        Map<String, String> mdc = event.getMDCPropertyMap();
        String runId = mdc.get(RunLogContext.RUN_ID);
        if (runId == null) {
            return "";
        }
        return "[" + mdc.getOrDefault(RunLogContext.DATASET, "") + " " + runId + "] ";
    }
}
