package ui;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import lake.TableOverview;
import lake.TableOverview.SnapshotInfo;
import run.FailedInputs.FailedInput;
import run.PipelineStages;
import run.RunHistory.Entry;
import ui.DatasetViews.Facts;
import ui.LiveRuns.LiveRun;

/**
 * The pages, rendered on the server as HTML: every value escaped, no inline script or style (the pages' only script
 * and style sheet are the app's own, {@code /ui/app.js} and {@code /ui/app.css}). A part of a page that changes as
 * runs go on is a fragment of its own ({@code data-live}), which the script fetches again when the server says the
 * runs moved.
 */
final class Pages {

    static final int PAGE_SIZE = 50;
    private static final Pattern LINE = Pattern.compile("\\bline (\\d+)");
    private static final Pattern COLUMN = Pattern.compile("\\bcolumn ([^,:]+)");
    private static final Pattern VALUE = Pattern.compile("\\bvalue '([^']*)'");
    /** The pages of an EMR cluster or Athena query the stages name in their messages (the region in the host). */
    private static final Pattern CONSOLE = Pattern.compile(
            "https://[a-z0-9-]+\\.console\\.aws\\.amazon\\.com/(emr|athena)/home#[A-Za-z0-9/._-]+");

    /** The filter and page of the runs page. */
    record RunsQuery(String dataset, String status, int page) {

        String link(int toPage) {
            StringBuilder query = new StringBuilder("/?");
            if (dataset != null) {
                query.append("dataset=").append(Html.url(dataset)).append('&');
            }
            if (status != null) {
                query.append("status=").append(Html.url(status)).append('&');
            }
            query.append("page=").append(toPage);
            return query.toString();
        }
    }

    private final String csrf;

    Pages(String csrf) {
        this.csrf = csrf;
    }

    // ---- runs -----------------------------------------------------------------------------------------------------

    String runs(RunsQuery query, RunIndex.Page page, List<LiveRun> live, List<String> datasets, RunIndex index,
            String notice) {
        Html h = new Html();
        h.raw("<h1>Runs</h1>");
        if (notice != null) {
            h.raw("<p class=\"notice\">").text(notice).raw("</p>");
        }
        h.raw("<form class=\"filters\" method=\"get\" action=\"/\"><label>Dataset <select name=\"dataset\">")
                .raw("<option value=\"\">all</option>");
        for (String dataset : datasets) {
            h.raw("<option").raw(dataset.equals(query.dataset()) ? " selected" : "").raw(" value=\"").text(dataset)
                    .raw("\">").text(dataset).raw("</option>");
        }
        h.raw("</select></label> <label>Status <select name=\"status\"><option value=\"\">all</option>");
        for (String status : List.of("RUNNING", "SUCCEEDED", "FAILED", "SKIPPED")) {
            h.raw("<option").raw(status.equals(query.status()) ? " selected" : "").raw(">").text(status)
                    .raw("</option>");
        }
        h.raw("</select></label> <button type=\"submit\">Filter</button></form>");
        h.raw("<section id=\"runs\" data-live=\"").text(query.link(query.page()) + "&fragment=runs").raw("\">")
                .raw(runsFragment(query, page, live, index)).raw("</section>");
        return layout("Runs", h.toString());
    }

    String runsFragment(RunsQuery query, RunIndex.Page page, List<LiveRun> live, RunIndex index) {
        Html h = new Html();
        if (!index.loaded()) {
            h.raw("<p class=\"notice\">Reading the run reports&hellip; ").text(Html.count(index.size()))
                    .raw(" so far.</p>");
        }
        boolean showLive = query.page() == 0 && (query.status() == null || "RUNNING".equals(query.status()));
        List<LiveRun> shown = showLive ? live.stream()
                .filter(l -> query.dataset() == null || query.dataset().equals(l.run().getDataset())).toList()
                : List.of();
        int first = query.page() * PAGE_SIZE;
        h.raw("<table class=\"runs\"><thead><tr><th>Status</th><th>Run</th><th>Dataset</th><th>Trigger</th>")
                .raw("<th>Source</th><th class=\"num\">Rows read</th><th class=\"num\">written</th>")
                .raw("<th class=\"num\">rejected</th><th class=\"num\">Bytes</th><th>Started (UTC)</th>")
                .raw("<th class=\"num\">Duration</th><th>Stages</th></tr></thead><tbody>");
        for (LiveRun run : shown) {
            liveRow(h, run);
        }
        for (Entry run : "RUNNING".equals(query.status()) ? List.<Entry>of() : page.runs()) {
            h.raw("<tr class=\"run\" data-run=\"").text(run.runId()).raw("\"><td>").raw(status(run.status()))
                    .raw("</td><td><a href=\"/runs/").text(Html.url(run.runId())).raw("\">").text(run.runId())
                    .raw("</a></td><td>").raw(datasetLink(run.dataset())).raw("</td><td>").text(run.trigger())
                    .raw("</td><td class=\"source\" title=\"").text(run.source()).raw("\">").text(run.source())
                    .raw("</td><td class=\"num\">").text(Html.count(run.rowsRead()))
                    .raw("</td><td class=\"num\">").text(Html.count(run.rowsWritten()))
                    .raw("</td><td class=\"num\">").text(Html.count(run.rowsRejected()))
                    .raw("</td><td class=\"num\">").text(Html.bytes(run.bytesRead()))
                    .raw("</td><td>").text(Html.time(run.startedAt()))
                    .raw("</td><td class=\"num\">").text(Html.duration(run.durationMs()))
                    .raw("</td><td>").raw(Charts.stageBar(run.stageMs())).raw("</td></tr>");
            if (run.error() != null && !run.error().isEmpty()) {
                h.raw("<tr class=\"why\"><td></td><td colspan=\"11\">").text(run.error()).raw("</td></tr>");
            }
        }
        if (shown.isEmpty() && page.runs().isEmpty()) {
            h.raw("<tr><td colspan=\"12\" class=\"empty\">No runs").raw(query.dataset() != null || query.status()
                    != null ? " match the filter" : " yet: drop a CSV into the inbox").raw(".</td></tr>");
        }
        h.raw("</tbody></table>");
        h.raw("<p class=\"pager\">");
        if (query.page() > 0) {
            h.raw("<a rel=\"prev\" href=\"").text(query.link(query.page() - 1)).raw("\">&larr; newer</a> ");
        }
        int last = Math.min(first + page.runs().size(), page.matching());
        h.raw("<span>runs ").text(page.matching() == 0 ? "0" : Html.count(first + 1) + "–" + Html.count(last))
                .raw(" of ").text(Html.count(page.matching())).raw(shown.isEmpty() ? "" : ", "
                        + shown.size() + " in progress").raw("</span>");
        if (last < page.matching()) {
            h.raw(" <a rel=\"next\" href=\"").text(query.link(query.page() + 1)).raw("\">older &rarr;</a>");
        }
        legend(h);
        h.raw("</p>");
        return h.toString();
    }

    /** The colours of the stage bars. */
    private static void legend(Html h) {
        h.raw("<span class=\"legend\">");
        for (String stage : PipelineStages.all()) {
            h.raw("<svg viewBox=\"0 0 10 10\"><rect class=\"st-").text(stage).raw("\" width=\"10\" height=\"10\"/></svg>")
                    .text(stage).raw(" ");
        }
        h.raw("</span>");
    }

    private static void liveRow(Html h, LiveRun live) {
        h.raw("<tr class=\"run live\" data-run=\"").text(live.run().getRunId()).raw("\"><td>").raw(status("RUNNING"))
                .raw("</td><td><a href=\"/runs/").text(Html.url(live.run().getRunId())).raw("\">")
                .text(live.run().getRunId()).raw("</a></td><td>").raw(datasetLink(live.run().getDataset()))
                .raw("</td><td>").text(live.run().getTrigger()).raw("</td><td class=\"source\">")
                .text(live.run().getSource()).raw("</td><td colspan=\"3\">")
                .raw(progress(live)).raw("</td><td class=\"num\">").text(Html.bytes(live.run().getBytesRead()))
                .raw("</td><td>").text(Html.time(live.run().getStartedAt())).raw("</td><td class=\"num\">")
                .text(Html.duration(live.elapsedMs())).raw("</td><td>").raw(Charts.stageBar(live.run().getStageMs()))
                .raw("</td></tr>");
    }

    /** The stage a run is in, and in the convert stage the bytes parsed of the input's size. */
    static String progress(LiveRun live) {
        Html h = new Html();
        h.raw("<span class=\"stage\">").text(live.stage()).raw("</span>");
        if (live.progress() != null) {
            long done = live.progress().bytes();
            long total = live.progress().totalBytes();
            h.raw(" <span class=\"parsed\">").text(Html.bytes(done));
            if (total > 0) {
                long percent = Math.min(100, done * 100 / total);
                h.raw(" of ").text(Html.bytes(total)).raw(" parsed (").text(percent).raw("%)</span> ")
                        .raw("<progress max=\"").text(total).raw("\" value=\"").text(Math.min(done, total))
                        .raw("\"></progress>");
            } else {
                h.raw(" parsed</span>");
            }
            if (live.progress().pass() > 1) {
                h.raw(" <span class=\"pass\">pass ").text(live.progress().pass()).raw("</span>");
            }
        }
        return h.toString();
    }

    // ---- one run --------------------------------------------------------------------------------------------------

    /** A run as its report tells it; {@code live} while it runs. */
    String run(String runId, JsonNode report, LiveRun live, Optional<FailedInput> retry, List<List<String>> results,
            String notice) {
        Html h = new Html();
        h.raw("<p class=\"crumbs\"><a href=\"/\">Runs</a> / ").text(runId).raw("</p>");
        if (notice != null) {
            h.raw("<p class=\"notice\">").text(notice).raw("</p>");
        }
        h.raw("<section id=\"run\" data-live=\"/runs/").text(Html.url(runId)).raw("?fragment=run\">")
                .raw(runFragment(runId, report, live, retry, results)).raw("</section>");
        return layout("Run " + runId, h.toString());
    }

    String runFragment(String runId, JsonNode report, LiveRun live, Optional<FailedInput> retry,
            List<List<String>> results) {
        Html h = new Html();
        if (report == null && live != null) {
            h.raw("<h1>Run ").text(runId).raw(" ").raw(status("RUNNING")).raw("</h1><dl class=\"facts\">");
            fact(h, "Dataset", datasetLink(live.run().getDataset()), true);
            fact(h, "Trigger", live.run().getTrigger(), false);
            fact(h, "Source", live.run().getSource(), false);
            fact(h, "Started (UTC)", Html.time(live.run().getStartedAt()), false);
            fact(h, "Running for", Html.duration(live.elapsedMs()), false);
            fact(h, "Stage", progress(live), true);
            h.raw("</dl>");
            stages(h, live.run().getStageMs());
            return h.toString();
        }
        String status = report.path("status").asText();
        h.raw("<h1>Run ").text(runId).raw(" ").raw(status(status)).raw("</h1>");
        JsonNode error = report.path("error");
        if (error.isObject()) {
            String message = error.path("message").asText();
            h.raw("<div class=\"error\"><h2>Failed in stage <span class=\"stage\">").text(error.path("stage").asText())
                    .raw("</span></h2><dl class=\"where\">");
            where(h, "Line", LINE, message);
            where(h, "Column", COLUMN, message);
            where(h, "Value", VALUE, message);
            h.raw("</dl><pre class=\"message\">").text(message).raw("</pre>");
            String fix = fix(error.path("stage").asText(), message, retry.isPresent());
            if (fix != null) {
                h.raw("<p class=\"fix\">").text(fix).raw("</p>");
            }
            retry.ifPresent(input -> h.raw(retryForm(report.path("dataset").asText(), input)));
            h.raw("</div>");
        }
        if (report.hasNonNull("reason")) {
            h.raw("<p class=\"notice\">Skipped: ").text(report.get("reason").asText()).raw("</p>");
        }
        h.raw("<dl class=\"facts\">");
        fact(h, "Dataset", datasetLink(report.path("dataset").asText()), true);
        fact(h, "Trigger", report.path("trigger").asText(), false);
        fact(h, "Source", report.path("source").asText(), false);
        fact(h, "Started (UTC)", Html.time(report.path("startedAt").asText()), false);
        fact(h, "Finished (UTC)", Html.time(report.path("finishedAt").asText()), false);
        fact(h, "Duration", Html.duration(report.hasNonNull("durationMs") ? report.get("durationMs").asLong() : null),
                false);
        fact(h, "Bytes read", Html.bytes(report.path("bytesRead").asLong()), false);
        fact(h, "Input SHA-256", report.path("sha256").asText(""), false);
        fact(h, "Rows read / written / rejected", Html.count(report.path("rowsRead").asLong()) + " / "
                + Html.count(report.path("rowsWritten").asLong()) + " / "
                + Html.count(report.path("rowsRejected").asLong()), false);
        fact(h, "Table", report.path("table").asText(""), false);
        fact(h, "Snapshot", report.hasNonNull("snapshotId") ? report.get("snapshotId").asText() : "", false);
        JsonNode ledger = report.path("ledgerEntry");
        if (ledger.isObject()) {
            fact(h, "Load ledger", ledger.path("table").asText() + ": snapshot " + ledger.path("snapshotId").asText()
                    + ", run " + ledger.path("runId").asText()
                    + (ledger.path("recorded").asBoolean(true) ? "" : " (not yet written)"), false);
        }
        fact(h, "Parquet", report.path("parquetUri").asText(""), false);
        if (report.hasNonNull("rejectsUri")) {
            fact(h, "Rejected rows", "<a href=\"/runs/" + Html.escape(Html.url(runId)) + "/rejects.csv\">"
                    + Html.escape(report.get("rejectsUri").asText()) + "</a>", true);
        }
        List<String> consoles = consoleLinks(report);
        if (!consoles.isEmpty()) {
            StringBuilder links = new StringBuilder();
            for (String url : consoles) {
                links.append(links.isEmpty() ? "" : "<br>").append("<a class=\"console\" rel=\"noreferrer\" href=\"")
                        .append(Html.escape(url)).append("\">").append(Html.escape(url)).append("</a>");
            }
            fact(h, "AWS console", links.toString(), true);
        }
        h.raw("</dl>");
        JsonNode warnings = report.path("warnings");
        if (warnings.isArray() && !warnings.isEmpty()) {
            h.raw("<h2>Warnings</h2><ul>");
            warnings.forEach(w -> h.raw("<li>").text(w.asText()).raw("</li>"));
            h.raw("</ul>");
        }
        Map<String, Long> stageMs = new java.util.LinkedHashMap<>();
        report.path("stageMs").fields().forEachRemaining(e -> stageMs.put(e.getKey(), e.getValue().asLong()));
        stages(h, stageMs);
        query(h, runId, report.path("query"), results);
        schema(h, report.path("schema"));
        return h.toString();
    }

    /**
     * What to do about a bad value of the CSV, where the message names its line; other failures name their own fix in
     * their message (the setting, the file, the AWS resource).
     */
    static String fix(String stage, String message, boolean retryable) {
        if (!PipelineStages.CONVERT.equals(stage) || !LINE.matcher(message).find() || !VALUE.matcher(message).find()) {
            return null;
        }
        return "Fix the value on that line of the file" + (retryable ? " (kept in the inbox's .failed/) and retry it"
                : " and load it again") + ", or set pipeline.convert.onBadRow=skip to load the other rows and keep"
                + " the bad ones in a rejects file.";
    }

    /** The EMR and Athena console pages the run's error, query error or warnings name, each once. */
    static List<String> consoleLinks(JsonNode report) {
        List<String> texts = new ArrayList<>();
        texts.add(report.path("error").path("message").asText(""));
        texts.add(report.path("query").path("error").asText(""));
        report.path("warnings").forEach(w -> texts.add(w.asText()));
        List<String> links = new ArrayList<>();
        for (String text : texts) {
            Matcher m = CONSOLE.matcher(text);
            while (m.find()) {
                if (!links.contains(m.group())) {
                    links.add(m.group());
                }
            }
        }
        return links;
    }

    private static void where(Html h, String label, Pattern pattern, String message) {
        Matcher m = pattern.matcher(message);
        if (m.find()) {
            h.raw("<dt>").text(label).raw("</dt><dd class=\"").text(label.toLowerCase(Locale.ROOT)).raw("\">")
                    .text(m.group(1)).raw("</dd>");
        }
    }

    private static void stages(Html h, Map<String, Long> stageMs) {
        h.raw("<h2>Stages</h2><table class=\"stages\"><thead><tr><th>Stage</th><th class=\"num\">Time</th><th></th>")
                .raw("</tr></thead><tbody>");
        long max = Math.max(1, stageMs.values().stream().mapToLong(Long::longValue).max().orElse(1));
        for (String stage : PipelineStages.all()) {
            Long ms = stageMs.get(stage);
            if (ms == null) {
                continue;
            }
            h.raw("<tr><td>").text(stage).raw("</td><td class=\"num\">").text(Html.duration(ms)).raw("</td><td>")
                    .raw(String.format(Locale.ROOT, "<svg class=\"stage-time\" viewBox=\"0 0 100 10\""
                            + " preserveAspectRatio=\"none\"><rect class=\"st-%s\" width=\"%.2f\" height=\"10\"/>"
                            + "</svg>", stage, 100.0 * ms / max)).raw("</td></tr>");
        }
        h.raw("</tbody></table>");
    }

    private static void query(Html h, String runId, JsonNode query, List<List<String>> results) {
        if (!query.isObject()) {
            return;
        }
        h.raw("<h2>Query</h2><dl class=\"facts\">");
        fact(h, "Status", status(query.path("status").asText()), true);
        if (query.hasNonNull("rows")) {
            fact(h, "Rows in the answer", Html.count(query.get("rows").asLong()), false);
        }
        if (query.hasNonNull("error")) {
            fact(h, "Error", query.get("error").asText(), false);
        }
        if (query.hasNonNull("resultsFile")) {
            fact(h, "Results", "<a href=\"/runs/" + Html.escape(Html.url(runId)) + "/results.csv\">"
                    + Html.escape(query.get("resultsFile").asText()) + "</a>", true);
        }
        h.raw("</dl>");
        if (!results.isEmpty()) {
            h.raw("<table class=\"results\"><thead><tr>");
            results.get(0).forEach(column -> h.raw("<th>").text(column).raw("</th>"));
            h.raw("</tr></thead><tbody>");
            for (List<String> row : results.subList(1, results.size())) {
                h.raw("<tr>");
                row.forEach(value -> h.raw("<td>").text(value).raw("</td>"));
                h.raw("</tr>");
            }
            h.raw("</tbody></table>");
        }
    }

    private static void schema(Html h, JsonNode schema) {
        if (!schema.isObject()) {
            return;
        }
        h.raw("<h2>Schema used</h2><p>").text("inferred".equals(schema.path("source").asText())
                ? "Inferred from the first " + Html.count(schema.path("sampleRows").asLong()) + " rows"
                : "Given: " + schema.path("source").asText()).raw(schema.path("passes").asInt(1) > 1
                ? ", read " + schema.path("passes").asInt() + " times" : "").raw("</p>");
        JsonNode widened = schema.path("widened");
        if (widened.isArray() && !widened.isEmpty()) {
            h.raw("<ul class=\"widened\">");
            widened.forEach(w -> h.raw("<li>").text(w.path("column").asText() + " widened from "
                    + w.path("from").asText() + " to " + w.path("to").asText() + " by '" + w.path("value").asText()
                    + "' on line " + w.path("line").asText()).raw("</li>"));
            h.raw("</ul>");
        }
        JsonNode fields = schema.path("avro").path("fields");
        if (fields.isArray()) {
            h.raw("<table class=\"schema\"><thead><tr><th>Column</th><th>Type</th></tr></thead><tbody>");
            for (JsonNode field : fields) {
                h.raw("<tr><td>").text(field.path("name").asText()).raw("</td><td><code>").text(avroType(
                        field.path("type"))).raw("</code></td></tr>");
            }
            h.raw("</tbody></table>");
        }
    }

    /** An Avro field type as one short line: {@code long}, {@code null|string}, {@code int (date)}. */
    private static String avroType(JsonNode type) {
        if (type.isTextual()) {
            return type.asText();
        }
        if (type.isArray()) {
            List<String> parts = new ArrayList<>();
            type.forEach(t -> parts.add(avroType(t)));
            return String.join("|", parts);
        }
        String base = type.path("type").asText();
        if (type.has("logicalType")) {
            String logical = type.get("logicalType").asText();
            if (type.has("precision")) {
                logical += "(" + type.get("precision").asText() + "," + type.path("scale").asText("0") + ")";
            }
            return base + " (" + logical + ")";
        }
        return base;
    }

    // ---- datasets -------------------------------------------------------------------------------------------------

    String datasets(List<Facts> datasets, Map<String, Entry> lastRuns) {
        Html h = new Html();
        h.raw("<h1>Datasets</h1><table class=\"datasets\"><thead><tr><th>Dataset</th><th>Trigger</th><th>Table</th>")
                .raw("<th>Engines</th><th>Last run</th></tr></thead><tbody>");
        for (Facts facts : datasets) {
            Entry last = lastRuns.get(facts.name());
            h.raw("<tr><td>").raw(datasetLink(facts.name())).raw("</td><td>").text(triggers(facts))
                    .raw("</td><td>").text(facts.table()).raw("</td><td>").text(facts.loadEngine() + " / "
                    + facts.queryEngine()).raw("</td><td>");
            if (last != null) {
                h.raw(status(last.status())).raw(" <a href=\"/runs/").text(Html.url(last.runId())).raw("\">")
                        .text(Html.time(last.startedAt())).raw("</a>");
            }
            h.raw("</td></tr>");
        }
        h.raw("</tbody></table>");
        return layout("Datasets", h.toString());
    }

    String dataset(Facts facts, DatasetViews.Table table, List<FailedInput> failed, List<Entry> runsOldestFirst,
            String notice) {
        Html h = new Html();
        h.raw("<p class=\"crumbs\"><a href=\"/datasets\">Datasets</a> / ").text(facts.name()).raw("</p>");
        if (notice != null) {
            h.raw("<p class=\"notice\">").text(notice).raw("</p>");
        }
        h.raw("<section id=\"dataset\" data-live=\"/datasets/").text(Html.url(facts.name()))
                .raw("?fragment=dataset\">").raw(datasetFragment(facts, table, failed, runsOldestFirst))
                .raw("</section>");
        return layout("Dataset " + facts.name(), h.toString());
    }

    String datasetFragment(Facts facts, DatasetViews.Table table, List<FailedInput> failed,
            List<Entry> runsOldestFirst) {
        Html h = new Html();
        h.raw("<h1>Dataset ").text(facts.name()).raw("</h1>");
        if (facts.polled()) {
            h.raw("<form class=\"action\" method=\"post\" action=\"/datasets/").text(Html.url(facts.name()))
                    .raw("/poll\"><input type=\"hidden\" name=\"csrf\" value=\"").text(csrf)
                    .raw("\"><button type=\"submit\" id=\"poll-now\">Poll now</button></form>");
        }
        TableOverview overview = table.overview();
        h.raw("<dl class=\"facts\">");
        fact(h, "Trigger", triggers(facts), false);
        if (facts.source() != null) {
            fact(h, "Source", facts.source(), false);
        }
        if (facts.inboxDir() != null) {
            fact(h, "Inbox", facts.inboxDir(), false);
        }
        fact(h, "Table", facts.table() + " (" + facts.catalog() + " catalog, " + facts.mode() + ")", false);
        fact(h, "Engines", "load " + facts.loadEngine() + ", query " + facts.queryEngine(), false);
        if (overview != null && overview.exists()) {
            fact(h, "Rows", "<span id=\"row-count\">" + Html.escape(Html.count(overview.rows())) + "</span>", true);
            fact(h, "Files", Html.count(overview.fileCount()) + " data files, " + Html.bytes(overview.bytes()),
                    false);
        } else if (overview != null) {
            fact(h, "Rows", "the table does not exist yet: nothing has been loaded", false);
        }
        h.raw("</dl>");
        if (table.error() != null) {
            h.raw("<p class=\"error\">The table could not be read: ").text(table.error()).raw("</p>");
        }
        h.raw("<div class=\"charts\"><figure>").raw(Charts.rowsOverTime(overview == null ? List.of()
                : overview.snapshots())).raw("<figcaption>Rows in the table over time</figcaption></figure><figure>")
                .raw(Charts.runDurations(runsOldestFirst)).raw("<figcaption>Run duration per run</figcaption>")
                .raw("</figure></div>");
        if (!failed.isEmpty()) {
            h.raw("<h2>Failed inputs</h2><table class=\"failed\"><thead><tr><th>File</th><th>Run</th><th>Stage</th>")
                    .raw("<th>Why</th><th></th></tr></thead><tbody>");
            for (FailedInput input : failed) {
                h.raw("<tr><td>").text(input.name()).raw("</td><td><a href=\"/runs/").text(Html.url(input.runId()))
                        .raw("\">").text(input.runId()).raw("</a></td><td>").text(input.stage()).raw("</td><td>")
                        .text(firstLine(input.reason())).raw("</td><td>").raw(retryForm(facts.name(), input))
                        .raw("</td></tr>");
            }
            h.raw("</tbody></table>");
        }
        if (overview != null && overview.exists()) {
            h.raw("<h2>Schema</h2><table class=\"schema\"><thead><tr><th>Column</th><th>Type</th><th>Null</th></tr>")
                    .raw("</thead><tbody>");
            for (TableOverview.Column column : overview.columns()) {
                h.raw("<tr><td>").text(column.name()).raw("</td><td><code>").text(column.type())
                        .raw("</code></td><td>").text(column.optional() ? "yes" : "no").raw("</td></tr>");
            }
            h.raw("</tbody></table>");
            h.raw("<h2>Snapshots</h2><table class=\"snapshots\"><thead><tr><th>Committed (UTC)</th><th>Snapshot</th>")
                    .raw("<th>Operation</th><th class=\"num\">Rows added</th><th class=\"num\">removed</th>")
                    .raw("<th class=\"num\">in table</th><th>Run</th><th>Input SHA-256</th></tr></thead><tbody>");
            List<SnapshotInfo> newestFirst = new ArrayList<>(overview.snapshots());
            java.util.Collections.reverse(newestFirst);
            for (SnapshotInfo s : newestFirst) {
                h.raw("<tr class=\"snapshot\"><td>").text(Html.time(s.committedAt())).raw("</td><td>")
                        .text(s.snapshotId()).raw("</td><td>").text(s.operation()).raw("</td><td class=\"num\">")
                        .text(Html.count(s.addedRows())).raw("</td><td class=\"num\">").text(Html.count(s.removedRows()))
                        .raw("</td><td class=\"num\">").text(Html.count(s.totalRows())).raw("</td><td>");
                if (s.runId() != null) {
                    h.raw("<a href=\"/runs/").text(Html.url(s.runId())).raw("\">").text(s.runId()).raw("</a>");
                }
                h.raw("</td><td><code title=\"").text(s.inputSha256() == null ? "" : s.inputSha256()).raw("\">")
                        .text(s.inputSha256() == null ? "" : s.inputSha256().substring(0,
                                Math.min(12, s.inputSha256().length()))).raw("</code></td></tr>");
            }
            h.raw("</tbody></table>");
            h.raw("<h2>Files</h2><table class=\"files\"><thead><tr><th>Data file</th><th class=\"num\">Rows</th>")
                    .raw("<th class=\"num\">Size</th></tr></thead><tbody>");
            for (TableOverview.DataFileInfo file : overview.files()) {
                h.raw("<tr><td><code>").text(file.location()).raw("</code></td><td class=\"num\">")
                        .text(Html.count(file.rows())).raw("</td><td class=\"num\">").text(Html.bytes(file.bytes()))
                        .raw("</td></tr>");
            }
            if (overview.fileCount() > overview.files().size()) {
                h.raw("<tr><td colspan=\"3\">and ").text(Html.count(overview.fileCount() - overview.files().size()))
                        .raw(" more</td></tr>");
            }
            h.raw("</tbody></table>");
        }
        h.raw("<p><a href=\"/?dataset=").text(Html.url(facts.name())).raw("\">All runs of ").text(facts.name())
                .raw(" &rarr;</a></p>");
        return h.toString();
    }

    private String retryForm(String dataset, FailedInput input) {
        return "<form class=\"action\" method=\"post\" action=\"/datasets/" + Html.escape(Html.url(dataset))
                + "/retry\"><input type=\"hidden\" name=\"csrf\" value=\"" + Html.escape(csrf) + "\">"
                + "<input type=\"hidden\" name=\"file\" value=\"" + Html.escape(input.name()) + "\">"
                + "<button type=\"submit\" class=\"retry\">Retry</button></form>";
    }

    private static String triggers(Facts facts) {
        List<String> triggers = new ArrayList<>();
        if (facts.inbox()) {
            triggers.add("inbox");
        }
        if (facts.polled()) {
            triggers.add("HTTP poll every " + facts.pollInterval());
        }
        return triggers.isEmpty() ? "none" : String.join(", ", triggers);
    }

    // ---- shared ---------------------------------------------------------------------------------------------------

    String message(String title, String text) {
        return layout(title, "<h1>" + Html.escape(title) + "</h1><p>" + Html.escape(text) + "</p>"
                + "<p><a href=\"/\">Runs</a></p>");
    }

    private static void fact(Html h, String label, String value, boolean markup) {
        if (value == null || value.isEmpty()) {
            return;
        }
        h.raw("<dt>").text(label).raw("</dt><dd>");
        if (markup) {
            h.raw(value);
        } else {
            h.text(value);
        }
        h.raw("</dd>");
    }

    private static String status(String status) {
        return "<span class=\"status " + Html.escape(status.toLowerCase(Locale.ROOT)) + "\">" + Html.escape(status)
                + "</span>";
    }

    private static String datasetLink(String dataset) {
        if (dataset == null || dataset.isEmpty()) {
            return "";
        }
        return "<a href=\"/datasets/" + Html.escape(Html.url(dataset)) + "\">" + Html.escape(dataset) + "</a>";
    }

    private static String firstLine(String text) {
        Iterator<String> lines = text.lines().iterator();
        return lines.hasNext() ? lines.next() : "";
    }

    /** Every page carries the CSRF token its forms send, also for a script that posts as they do. */
    private String layout(String title, String main) {
        return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"csrf-token\" content=\""
                + Html.escape(csrf) + "\"><title>" + Html.escape(title)
                + " · s3tables-pipeline</title><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<link rel=\"icon\" href=\"data:,\"><link rel=\"stylesheet\" href=\"/ui/app.css\">"
                + "<script src=\"/ui/app.js\" defer></script></head><body data-events=\"/api/events\"><header>"
                + "<a class=\"brand\" href=\"/\">s3tables-pipeline</a><nav><a href=\"/\">Runs</a>"
                + "<a href=\"/datasets\">Datasets</a></nav></header><main>" + main + "</main></body></html>";
    }
}
