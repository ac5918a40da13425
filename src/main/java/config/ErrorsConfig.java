package config;

import java.time.Duration;

/** {@code pipeline.errors.*}: redelivery of transient failures (I/O, throttling, 5xx); bad data is never retried. */
public record ErrorsConfig(int maximumRedeliveries, Duration redeliveryDelay, double backOffMultiplier,
        Duration maximumRedeliveryDelay) {

    public static ErrorsConfig from(Settings s) {
        String multiplier = s.string("pipeline.errors.backOffMultiplier");
        double parsed = 2;
        try {
            parsed = Double.parseDouble(multiplier);
            if (parsed < 1) {
                throw new NumberFormatException(multiplier);
            }
        } catch (NumberFormatException e) {
            s.problem("pipeline.errors.backOffMultiplier must be a number of at least 1, was " + multiplier);
        }
        return new ErrorsConfig(
                s.integer("pipeline.errors.maximumRedeliveries", 0, 100),
                s.duration("pipeline.errors.redeliveryDelay"),
                parsed,
                s.duration("pipeline.errors.maximumRedeliveryDelay"));
    }
}
