package run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import core.DataDirLayout;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The run reports in {@code <data.dir>/runs/}, read back newest first, as {@code runs} lists them. */
public final class RunHistory {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One finished run as its report tells it. */
    public record Entry(String runId, String dataset, String trigger, String status, long rowsWritten,
            Long durationMs, String startedAt, String error, String ledgerEntry) {
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
        return new Entry(
                report.path("runId").asText(file.getFileName().toString()),
                report.path("dataset").asText(""),
                report.path("trigger").asText(""),
                report.path("status").asText(""),
                report.path("rowsWritten").asLong(),
                report.hasNonNull("durationMs") ? report.get("durationMs").asLong() : null,
                report.path("startedAt").asText(""),
                errorOrReason(report),
                ledgerEntry(report));
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
