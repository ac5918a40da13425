package run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import core.DataDirLayout;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The run reports in {@code <data.dir>/runs/}, read back: newest first, as {@code runs} lists them, or all of them once,
 * as the web UI indexes them.
 */
public final class RunHistory {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One finished run as its report tells it: what a list of runs shows. {@code error} is the failure's stage and the
     * first line of its message, the failed query's, or why the run was skipped; {@code errorStage} the stage alone.
     */
    public record Entry(String runId, String dataset, String trigger, String status, long rowsWritten,
            Long durationMs, String startedAt, String error, String ledgerEntry, String source, String finishedAt, long bytesRead,
            long rowsRead, long rowsRejected, Map<String, Long> stageMs, String table, Long snapshotId,
            String sha256, String errorStage) {

        /** The entry of a run that has just ended, from its report as written, without reading the file back. */
        public static Entry of(PipelineRun run) {
            String error = null;
            if (run.getError() != null) {
                error = run.getError().stage() + ": " + RunReporter.firstLine(run.getError().message());
            } else if (run.getQuery() != null && run.getQuery().status() == RunStatus.FAILED) {
                error = "query: " + RunReporter.firstLine(String.valueOf(run.getQuery().error()));
            } else if (run.getReason() != null) {
                error = run.getReason();
            }
            return new Entry(run.getRunId(), run.getDataset() == null ? "" : run.getDataset(), run.getTrigger(),
                    run.getStatus().name(), run.getRowsWritten(), run.getDurationMs(), run.getStartedAt().toString(),
                    error == null ? "" : error, RunHistory.ledgerEntry(run.getLedgerEntry()), run.getSource(),
                    run.getFinishedAt() == null ? null : run.getFinishedAt().toString(), run.getBytesRead(),
                    run.getRowsRead(), run.getRowsRejected(), new LinkedHashMap<>(run.getStageMs()), run.getTable(),
                    run.getSnapshotId(), run.getSha256(), run.getError() == null ? null : run.getError().stage());
        }

        /** When the run started. */
        public Instant started() {
            return Instant.parse(startedAt);
        }
    }

    private RunHistory() {
    }

    /** Recent runs as their reports tell them, and why each report that could not be read was left out. */
    public record Listing(List<Entry> runs, List<String> unreadable) {
    }

    /**
     * The newest {@code last} runs, of {@code dataset} only when given. A report that cannot be read (half a file, or
     * not a report at all) is left out and named with the reason, so that one bad file hides none of the others.
     */
    public static Listing recent(Path dataDir, int last, Optional<String> dataset) throws IOException {
        Path runs = DataDirLayout.runs(dataDir);
        if (!Files.isDirectory(runs)) {
            return new Listing(List.of(), List.of());
        }
        List<Entry> entries = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        try (Stream<Path> files = Files.list(runs)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList()) {
                Entry entry;
                try {
                    entry = read(file);
                } catch (IOException e) {
                    unreadable.add(e.getMessage());
                    continue;
                }
                if (dataset.isEmpty() || dataset.get().equals(entry.dataset())) {
                    entries.add(entry);
                }
            }
        }
        entries.sort(Comparator.comparing(Entry::startedAt).reversed());
        return new Listing(entries.subList(0, Math.min(last, entries.size())), unreadable);
    }

    /**
     * When the newest successful run of {@code dataset} ended; a report written before reports named their dataset
     * counts for it too. Reports are read newest first (their names start with the run's start time) until one is found.
     */
    public static Optional<Instant> lastSuccess(Path dataDir, String dataset) throws IOException {
        Path runs = DataDirLayout.runs(dataDir);
        if (!Files.isDirectory(runs)) {
            return Optional.empty();
        }
        List<Path> files;
        try (Stream<Path> listed = Files.list(runs)) {
            files = listed.filter(f -> f.getFileName().toString().endsWith(".json"))
                    .sorted(Comparator.comparing(Path::getFileName).reversed()).toList();
        }
        for (Path file : files) {
            JsonNode report;
            try {
                report = JSON.readTree(file.toFile());
            } catch (IOException e) {
                continue; // not a report: the runs command names it
            }
            String of = report.path("dataset").asText("");
            if ("SUCCEEDED".equals(report.path("status").asText()) && (of.isEmpty() || of.equals(dataset))
                && report.hasNonNull("finishedAt")) {
                return Optional.of(Instant.parse(report.get("finishedAt").asText()));
            }
        }
        return Optional.empty();
    }

    /**
     * Every report of the data dir, in no particular order, each read once; one that cannot be read is left out and
     * named with the reason.
     */
    public static Listing all(Path dataDir) throws IOException {
        Path runs = DataDirLayout.runs(dataDir);
        if (!Files.isDirectory(runs)) {
            return new Listing(List.of(), List.of());
        }
        List<Entry> entries = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        try (Stream<Path> files = Files.list(runs)) {
            for (Iterator<Path> it = files.filter(RunHistory::isReport).iterator(); it.hasNext(); ) {
                try {
                    entries.add(read(it.next()));
                } catch (IOException | RuntimeException e) {
                    unreadable.add(e.getMessage());
                }
            }
        }
        return new Listing(entries, unreadable);
    }

    /** The report {@code <runId>.json} as it is written, or empty when there is none. */
    public static Optional<JsonNode> report(Path dataDir, String runId) throws IOException {
        Path file = DataDirLayout.runs(dataDir).resolve(runId + ".json");
        if (!runId.matches("[A-Za-z0-9._-]{1,100}") || !Files.isRegularFile(file)) {
            return Optional.empty();
        }
        return Optional.of(JSON.readTree(file.toFile()));
    }

    private static boolean isReport(Path file) {
        return file.getFileName().toString().endsWith(".json");
    }

    private static Entry read(Path file) throws IOException {
        JsonNode report;
        try {
            report = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new IOException("cannot read the run report " + file + ": "
                                  + RunReporter.firstLine(String.valueOf(e.getMessage())), e);
        }
        if (!report.isObject() || !report.hasNonNull("runId") || !report.hasNonNull("startedAt")) {
            throw new IOException("cannot read the run report " + file + ": it is no run report (no runId and"
                                  + " startedAt)");
        }
        Map<String, Long> stageMs = new LinkedHashMap<>();
        report.path("stageMs").fields().forEachRemaining(stage -> stageMs.put(stage.getKey(),
                stage.getValue().asLong()));
        JsonNode error = report.path("error");
        return new Entry(
                report.path("runId").asText(file.getFileName().toString()),
                report.path("dataset").asText(""),
                report.path("trigger").asText(""),
                report.path("status").asText(""),
                report.path("rowsWritten").asLong(),
                report.hasNonNull("durationMs") ? report.get("durationMs").asLong() : null,
                report.path("startedAt").asText(""),
                errorOrReason(report),
                ledgerEntry(report),
                report.path("source").asText(""),
                report.hasNonNull("finishedAt") ? report.get("finishedAt").asText() : null,
                report.path("bytesRead").asLong(),
                report.path("rowsRead").asLong(),
                report.path("rowsRejected").asLong(),
                stageMs,
                report.hasNonNull("table") ? report.get("table").asText() : null,
                report.hasNonNull("snapshotId") ? report.get("snapshotId").asLong() : null,
                report.hasNonNull("sha256") ? report.get("sha256").asText() : null,
                error.isObject() ? error.path("stage").asText() : null);
    }

    /** The load ledger's row of the run's load (or of the earlier load of its input): {@code table snapshot}. */
    private static String ledgerEntry(JsonNode report) {
        JsonNode entry = report.path("ledgerEntry");
        if (!entry.isObject()) {
            return "";
        }
        return entry.path("table").asText() + " " + entry.path("snapshotId").asText()
               + (entry.path("recorded").asBoolean(true) ? "" : " (not yet written)");
    }

    /** The same of a run that has just ended. */
    private static String ledgerEntry(PipelineRun.LedgerEntry entry) {
        if (entry == null) {
            return "";
        }
        return entry.table() + " " + entry.snapshotId() + (entry.recorded() == null || entry.recorded() ? ""
                : " (not yet written)");
    }

    private static String errorOrReason(JsonNode report) {
        JsonNode error = report.path("error");
        if (error.isObject()) {
            return error.path("stage").asText() + ": " + RunReporter.firstLine(error.path("message").asText());
        }
        JsonNode query = report.path("query");
        if ("FAILED".equals(query.path("status").asText())) {
            // the load is committed; only the query after it failed
            return "query: " + RunReporter.firstLine(query.path("error").asText());
        }
        return report.path("reason").asText("");
    }
}
