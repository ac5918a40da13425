package ui;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import run.FailedInputs.FailedInput;
import run.RunHistory.Entry;
import ui.DatasetViews.Facts;
import ui.LiveRuns.LiveRun;

/** The JSON answers of {@code /api/...}: the same facts as the pages, for scripts and other tools. */
final class Api {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .build();

    private Api() {
    }

    static String runs(RunIndex.Page page, List<LiveRun> live, int offset, int limit) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("matching", page.matching());
        answer.put("offset", offset);
        answer.put("limit", limit);
        answer.put("inProgress", live.stream().map(Api::live).toList());
        answer.put("runs", page.runs());
        return write(answer);
    }

    static Map<String, Object> live(LiveRun live) {
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("runId", live.run().getRunId());
        run.put("dataset", live.run().getDataset());
        run.put("status", live.run().getStatus());
        run.put("trigger", live.run().getTrigger());
        run.put("source", live.run().getSource());
        run.put("startedAt", live.run().getStartedAt());
        run.put("elapsedMs", live.elapsedMs());
        run.put("stage", live.stage());
        run.put("bytesRead", live.run().getBytesRead());
        run.put("stageMs", live.run().getStageMs());
        if (live.progress() != null) {
            Map<String, Object> convert = new LinkedHashMap<>();
            convert.put("bytesParsed", live.progress().bytes());
            convert.put("totalBytes", live.progress().totalBytes());
            convert.put("records", live.progress().records());
            convert.put("pass", live.progress().pass());
            run.put("convert", convert);
        }
        return run;
    }

    static String run(JsonNode report) {
        return write(report);
    }

    static String liveRun(LiveRun live) {
        return write(live(live));
    }

    static String datasets(List<Facts> datasets, Map<String, Entry> lastRuns) {
        List<Map<String, Object>> answer = new ArrayList<>();
        for (Facts facts : datasets) {
            Map<String, Object> dataset = new LinkedHashMap<>();
            dataset.put("dataset", facts);
            dataset.put("lastRun", lastRuns.get(facts.name()));
            answer.add(dataset);
        }
        return write(answer);
    }

    static String dataset(Facts facts, DatasetViews.Table table, List<FailedInput> failed) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("dataset", facts);
        answer.put("table", table.overview());
        if (table.error() != null) {
            answer.put("tableError", table.error());
        }
        answer.put("failedInputs", failed);
        return write(answer);
    }

    static String error(String message) {
        return write(Map.of("error", message));
    }

    static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }
}
