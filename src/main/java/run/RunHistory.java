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
            Long durationMs, String startedAt, String error) {
    }

    private RunHistory() {
    }

    /** The newest {@code last} runs, of {@code dataset} only when given; a report that cannot be read is named. */
    public static List<Entry> recent(Path dataDir, int last, Optional<String> dataset) throws IOException {
        Path runs = DataDirLayout.runs(dataDir);
        if (!Files.isDirectory(runs)) {
            return List.of();
        }
        List<Entry> entries = new ArrayList<>();
        try (Stream<Path> files = Files.list(runs)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".json")).toList()) {
                Entry entry = read(file);
                if (dataset.isEmpty() || dataset.get().equals(entry.dataset())) {
                    entries.add(entry);
                }
            }
        }
        entries.sort(Comparator.comparing(Entry::startedAt).reversed());
        return entries.subList(0, Math.min(last, entries.size()));
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
            JsonNode report = JSON.readTree(file.toFile());
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
            throw new IOException("cannot read the run report " + file + ": " + e.getMessage(), e);
        }
        return new Entry(
                report.path("runId").asText(file.getFileName().toString()),
                report.path("dataset").asText(""),
                report.path("trigger").asText(""),
                report.path("status").asText(""),
                report.path("rowsWritten").asLong(),
                report.hasNonNull("durationMs") ? report.get("durationMs").asLong() : null,
                report.path("startedAt").asText(""),
                errorOrReason(report));
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
