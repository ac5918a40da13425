package observe;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

import core.DataDirLayout;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheckRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import run.PipelineRun;
import run.RunHistory;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

/**
 * What the management server shows of the pipeline: the readiness checks next to Camel's route checks at
 * {@code /observe/health}, and the run metrics at {@code /observe/metrics} when {@code camel.metrics.enabled}.
 */
public final class Observability {

    private static final Logger LOG = LoggerFactory.getLogger(Observability.class);

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

    /**
     * The listener of finished runs that counts them, or none when metrics are off (a one-shot run loads nothing).
     * Once the context has started, the last success of each dataset is read back from the reports.
     */
    public static Consumer<PipelineRun> runMetrics(CamelContext context, Path dataDir, List<String> datasets) {
        if (!"true".equalsIgnoreCase(property(context, "camel.metrics.enabled"))) {
            return run -> { };
        }
        MetricsOnceStarted metrics = new MetricsOnceStarted(context);
        try {
            context.addStartupListener((started, alreadyStarted) ->
                    datasets.forEach(dataset -> seedLastSuccess(metrics, dataDir, dataset)));
        } catch (Exception e) {
            throw new IllegalStateException("could not register the run metrics with the context", e);
        }
        return metrics;
    }

    private static void seedLastSuccess(MetricsOnceStarted metrics, Path dataDir, String dataset) {
        RunMetrics ready = metrics.metrics();
        if (ready == null) {
            return;
        }
        try {
            RunHistory.lastSuccess(dataDir, dataset).ifPresent(at -> ready.lastSuccessWas(dataset, at));
        } catch (Exception e) {
            LOG.warn("could not read the last successful run of {} from {}: {}", dataset, DataDirLayout.runs(dataDir),
                    e.getMessage());
        }
    }

    /** The run metrics over the Prometheus registry, which is bound once the context starts, after the beans are wired. */
    private static final class MetricsOnceStarted implements Consumer<PipelineRun> {

        private final CamelContext context;
        private RunMetrics metrics;

        MetricsOnceStarted(CamelContext context) {
            this.context = context;
        }

        synchronized RunMetrics metrics() {
            if (metrics == null) {
                MeterRegistry registry = context.getRegistry().findSingleByType(MeterRegistry.class);
                if (registry != null) {
                    metrics = new RunMetrics(registry);
                }
            }
            return metrics;
        }

        @Override
        public void accept(PipelineRun run) {
            RunMetrics ready = metrics();
            if (ready != null) {
                ready.accept(run);
            }
        }
    }

    private static String property(CamelContext context, String key) {
        return context.getPropertiesComponent().resolveProperty(key).map(String::trim).orElse("");
    }
}
