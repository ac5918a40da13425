package ui;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import core.ParseProgress;
import core.Pipeline;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.spi.InflightRepository;
import run.PipelineRun;
import run.PipelineStages;
import run.RunStatus;

/**
 * The runs in progress, as Camel's inflight repository holds their exchanges: each with the stage its exchange is in
 * (the route it is at, {@code <dataset>-<stage>}) and, in the convert stage, the bytes parsed of the input's size.
 */
final class LiveRuns {

    /** A run in progress: its report so far, the stage it is in, for how long it has run, its convert's progress. */
    record LiveRun(PipelineRun run, String stage, long elapsedMs, ParseProgress progress) {
    }

    private final InflightRepository inflight;

    LiveRuns(CamelContext context) {
        this.inflight = context.getInflightRepository();
        // the route each exchange is at is kept only while browsing is on
        inflight.setInflightBrowseEnabled(true);
    }

    /** The runs in progress, the oldest first. */
    List<LiveRun> now() {
        List<LiveRun> live = new ArrayList<>();
        for (InflightRepository.InflightExchange inflightExchange : inflight.browse()) {
            Exchange exchange = inflightExchange.getExchange();
            PipelineRun run = exchange.getProperty(Pipeline.RUN, PipelineRun.class);
            if (run == null || run.getStatus() != RunStatus.RUNNING) {
                continue;
            }
            String stage = stage(run.getDataset(), inflightExchange.getAtRouteId());
            ParseProgress progress = PipelineStages.CONVERT.equals(stage)
                    ? exchange.getProperty(Pipeline.CONVERT_PROGRESS, ParseProgress.class) : null;
            // since the run began (the exchange's own clock may start later, at the route that picked the input up)
            long elapsed = Math.max(0, Duration.between(run.getStartedAt(), Instant.now()).toMillis());
            live.add(new LiveRun(run, stage, elapsed, progress));
        }
        live.sort(Comparator.comparing(l -> l.run().getStartedAt()));
        return live;
    }

    /** The stage a route of the dataset stands for, as a user knows the stages. */
    static String stage(String dataset, String routeId) {
        if (routeId == null) {
            return "starting";
        }
        String step = PipelineStages.of(dataset, routeId);
        return switch (step) {
            case "convert-here", "convert-csv", "skip-if-loaded" -> PipelineStages.CONVERT;
            case "fetch" -> PipelineStages.DOWNLOAD;
            case "ingest" -> "queued";
            case "http-poll", "poll-timer" -> "polling";
            case "inbox", "once" -> "starting";
            case "skipped", "failed", "errors" -> "ending";
            default -> step;
        };
    }
}
