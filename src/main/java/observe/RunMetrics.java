package observe;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import run.PipelineRun;
import run.RunStatus;

/**
 * Counts every finished run into the Micrometer registry that {@code /observe/metrics} scrapes: runs by dataset and
 * status, rows written and rejected, the time of each stage, and when the dataset last loaded successfully.
 */
public final class RunMetrics implements Consumer<PipelineRun> {

    private final MeterRegistry registry;
    private final Map<String, AtomicLong> lastSuccess = new ConcurrentHashMap<>();

    public RunMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** The last success known from the reports of an earlier process, so the gauge survives a restart. */
    public void lastSuccessWas(String dataset, Instant finishedAt) {
        lastSuccessOf(dataset).accumulateAndGet(finishedAt.toEpochMilli(), Math::max);
    }

    @Override
    public void accept(PipelineRun run) {
        String dataset = run.getDataset() == null ? "" : run.getDataset();
        Counter.builder("pipeline.runs").description("Finished runs by dataset and status")
                .tags("dataset", dataset, "status", run.getStatus().name())
                .register(registry).increment();
        Counter.builder("pipeline.rows.written").description("Rows written to the table's Parquet")
                .tag("dataset", dataset).register(registry).increment(run.getRowsWritten());
        Counter.builder("pipeline.rows.rejected").description("Bad rows skipped into a rejects file")
                .tag("dataset", dataset).register(registry).increment(run.getRowsRejected());
        run.getStageMs().forEach((stage, millis) ->
                Timer.builder("pipeline.stage.duration").description("Time each stage of a run took")
                        .tags("dataset", dataset, "stage", stage)
                        .register(registry).record(Duration.ofMillis(millis)));
        if (run.getStatus() == RunStatus.SUCCEEDED && run.getFinishedAt() != null) {
            lastSuccessOf(dataset).set(run.getFinishedAt().toEpochMilli());
        }
    }

    private AtomicLong lastSuccessOf(String dataset) {
        return lastSuccess.computeIfAbsent(dataset, name -> {
            AtomicLong millis = new AtomicLong();
            Gauge.builder("pipeline.last.success", millis, m -> m.get() / 1000.0)
                    .description("When the dataset's last successful run ended, in seconds since the epoch")
                    .baseUnit("seconds").tag("dataset", name).register(registry);
            return millis;
        });
    }
}
