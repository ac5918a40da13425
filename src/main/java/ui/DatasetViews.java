package ui;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import config.Datasets;
import config.PipelineConfig;
import core.Secrets;
import lake.TableOverview;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import run.FailedInputs;
import run.FailedInputs.FailedInput;
import run.PipelineRun;

/**
 * What the pages show of each dataset: its settings as a user names them (the source masked), its table as the
 * metadata tells it (read again only after a run of the dataset ended), and its failed inputs.
 */
final class DatasetViews {

    private static final Logger LOG = LoggerFactory.getLogger(DatasetViews.class);

    /** A dataset's settings, shown. {@code source}: the URL masked, or null when the dataset polls none. */
    record Facts(String name, boolean polled, boolean inbox, String source, String pollInterval, String inboxDir,
            String table, String catalog, String mode, String loadEngine, String queryEngine) {
    }

    /** The table, or why it could not be read. */
    record Table(TableOverview overview, String error) {
    }

    private final Datasets datasets;
    private final Map<String, Table> tables = new ConcurrentHashMap<>();
    /** Runs ended per dataset: a table read while one ended is not kept. */
    private final Map<String, Long> ended = new ConcurrentHashMap<>();

    DatasetViews(Datasets datasets) {
        this.datasets = datasets;
    }

    List<PipelineConfig> all() {
        return datasets.all();
    }

    Optional<PipelineConfig> find(String name) {
        return datasets.all().stream().filter(config -> config.dataset().equals(name)).findFirst();
    }

    static Facts facts(PipelineConfig config) {
        return new Facts(config.dataset(), config.httpPollingEnabled(), config.inboxEnabled(),
                config.source().url().map(url -> Secrets.url(url.toString())).orElse(null),
                config.source().pollInterval().toString().substring(2).toLowerCase(java.util.Locale.ROOT),
                config.inboxEnabled() ? config.inbox().dir().toString() : null,
                config.table().qualifiedName(), config.table().catalog().name().toLowerCase(java.util.Locale.ROOT),
                config.table().mode().name().toLowerCase(java.util.Locale.ROOT),
                config.engine().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'),
                config.queryEngine().name().toLowerCase(java.util.Locale.ROOT));
    }

    /** The dataset's table as its metadata says now; read once, then again after each run of the dataset. */
    Table table(PipelineConfig config) {
        Table known = tables.get(config.dataset());
        if (known != null) {
            return known;
        }
        long endedBefore = ended.getOrDefault(config.dataset(), 0L);
        try {
            Table read = new Table(TableOverview.of(config.table()), null);
            if (ended.getOrDefault(config.dataset(), 0L) == endedBefore) {
                tables.put(config.dataset(), read);
            }
            return read;
        } catch (RuntimeException e) {
            // not kept: the next look tries again
            LOG.warn("The web UI could not read table {}: {}", config.table().qualifiedName(), e.getMessage());
            return new Table(null, Secrets.text(String.valueOf(e.getMessage())));
        }
    }

    List<FailedInput> failedInputs(PipelineConfig config) {
        if (!config.inboxEnabled()) {
            return List.of();
        }
        try {
            return FailedInputs.of(config.inbox().dir());
        } catch (IOException e) {
            LOG.warn("The web UI could not list {}: {}", config.inbox().dir().resolve(".failed"), e.getMessage());
            return List.of();
        }
    }

    /** A run of {@code run}'s dataset ended: its table may have a new snapshot. */
    void runFinished(PipelineRun run) {
        if (run.getDataset() != null) {
            ended.merge(run.getDataset(), 1L, Long::sum);
            tables.remove(run.getDataset());
        }
    }
}
