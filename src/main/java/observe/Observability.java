package observe;

import java.nio.file.Path;
import java.util.function.Consumer;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheckRegistry;
import run.PipelineRun;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

/**
 * What the management server shows of the pipeline: the readiness checks next to Camel's route checks at
 * {@code /observe/health}, and the run metrics at {@code /observe/metrics} when {@code camel.metrics.enabled}.
 */
public final class Observability {

    private Observability() {
    }

    public static void addHealthChecks(CamelContext context, Path dataDir) {
        HealthCheckRegistry health = HealthCheckRegistry.get(context);
        if (health == null) {
            return;
        }
        health.register(new DataDirHealthCheck(dataDir));
        if ("aws".equals(property(context, "camel.main.profile"))) {
            health.register(new AwsCredentialsHealthCheck(DefaultCredentialsProvider.builder().build()));
        }
    }

    /** The listener of finished runs that counts them, or none when metrics are off (a one-shot run loads nothing). */
    public static Consumer<PipelineRun> runMetrics(CamelContext context) {
        if (!"true".equalsIgnoreCase(property(context, "camel.metrics.enabled"))) {
            return run -> { };
        }
        return new Consumer<>() {
            private RunMetrics metrics;

            @Override
            public synchronized void accept(PipelineRun run) {
                // the Prometheus registry is bound once the context starts, after the beans are wired
                if (metrics == null) {
                    MeterRegistry registry = context.getRegistry().findSingleByType(MeterRegistry.class);
                    if (registry == null) {
                        return;
                    }
                    metrics = new RunMetrics(registry);
                }
                metrics.accept(run);
            }
        };
    }

    private static String property(CamelContext context, String key) {
        return context.getPropertiesComponent().resolveProperty(key).map(String::trim).orElse("");
    }
}
