package ui;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import lake.TableOverview.SnapshotInfo;
import run.PipelineStages;
import run.RunHistory.Entry;

/** The small charts of the pages, drawn as inline SVG: nothing to load, no script, styled by the page's CSS. */
final class Charts {

    private static final int WIDTH = 480;
    private static final int HEIGHT = 160;
    private static final int LEFT = 64;
    private static final int RIGHT = 12;
    private static final int TOP = 12;
    private static final int BOTTOM = 28;

    private Charts() {
    }

    /** A run's stage times as one bar, a segment per stage in the order of the stages. */
    static String stageBar(Map<String, Long> stageMs) {
        long total = stageMs.values().stream().mapToLong(Long::longValue).sum();
        StringBuilder svg = new StringBuilder("<svg class=\"stages\" viewBox=\"0 0 100 10\" preserveAspectRatio=\"none\""
                + " role=\"img\" aria-label=\"stage times\">");
        if (total > 0) {
            double x = 0;
            for (String stage : PipelineStages.all()) {
                Long ms = stageMs.get(stage);
                if (ms == null || ms == 0) {
                    continue;
                }
                double width = 100.0 * ms / total;
                svg.append(String.format(Locale.ROOT, "<rect class=\"st-%s\" x=\"%.2f\" y=\"0\" width=\"%.2f\""
                        + " height=\"10\"><title>%s %s</title></rect>", stage, x, width, stage, Html.duration(ms)));
                x += width;
            }
        }
        return svg.append("</svg>").toString();
    }

    /** The rows in the table after each snapshot, over time. */
    static String rowsOverTime(List<SnapshotInfo> snapshots) {
        StringBuilder svg = open("rows-chart", "rows in the table over time");
        if (snapshots.isEmpty()) {
            return svg.append(empty("no snapshot yet")).append("</svg>").toString();
        }
        long first = snapshots.get(0).committedAt().toEpochMilli();
        long last = snapshots.get(snapshots.size() - 1).committedAt().toEpochMilli();
        long max = Math.max(1, snapshots.stream().mapToLong(SnapshotInfo::totalRows).max().orElse(1));
        axes(svg, Html.count(max), Html.time(Instant.ofEpochMilli(first)), Html.time(Instant.ofEpochMilli(last)));
        StringBuilder points = new StringBuilder();
        StringBuilder dots = new StringBuilder();
        double previousY = y(0, max);
        for (int i = 0; i < snapshots.size(); i++) {
            SnapshotInfo s = snapshots.get(i);
            double x = last == first ? LEFT + plotWidth() / 2.0
                    : LEFT + plotWidth() * (s.committedAt().toEpochMilli() - first) / (double) (last - first);
            double y = y(s.totalRows(), max);
            // a step: the count holds until the next commit
            if (i > 0) {
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, previousY));
            }
            points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
            previousY = y;
            dots.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\"><title>%s: %s rows"
                    + " (%s)</title></circle>", x, y, Html.escape(Html.time(s.committedAt())),
                    Html.count(s.totalRows()), Html.escape(String.valueOf(s.operation()))));
        }
        svg.append("<polyline class=\"line\" points=\"").append(points.toString().trim()).append("\"/>");
        return svg.append(dots).append("</svg>").toString();
    }

    /** How long each run took, oldest on the left, coloured by its status. */
    static String runDurations(List<Entry> oldestFirst) {
        StringBuilder svg = open("duration-chart", "run duration per run");
        List<Entry> runs = oldestFirst.stream().filter(r -> r.durationMs() != null).toList();
        if (runs.isEmpty()) {
            return svg.append(empty("no run yet")).append("</svg>").toString();
        }
        long max = Math.max(1, runs.stream().mapToLong(Entry::durationMs).max().orElse(1));
        axes(svg, Html.duration(max), Html.time(runs.get(0).startedAt()),
                Html.time(runs.get(runs.size() - 1).startedAt()));
        double slot = plotWidth() / (double) runs.size();
        double width = Math.max(1, Math.min(24, slot * 0.7));
        for (int i = 0; i < runs.size(); i++) {
            Entry run = runs.get(i);
            double x = LEFT + slot * i + (slot - width) / 2;
            double y = y(run.durationMs(), max);
            svg.append(String.format(Locale.ROOT, "<a href=\"/runs/%s\"><rect class=\"bar %s\" x=\"%.1f\" y=\"%.1f\""
                    + " width=\"%.1f\" height=\"%.1f\"><title>%s %s in %s</title></rect></a>", Html.url(run.runId()),
                    run.status().toLowerCase(Locale.ROOT), x, y, width, Math.max(0.5, HEIGHT - BOTTOM - y),
                    Html.escape(run.runId()), Html.escape(run.status()), Html.duration(run.durationMs())));
        }
        return svg.append("</svg>").toString();
    }

    private static StringBuilder open(String id, String label) {
        return new StringBuilder(String.format(Locale.ROOT, "<svg id=\"%s\" class=\"chart\" viewBox=\"0 0 %d %d\""
                + " role=\"img\" aria-label=\"%s\">", id, WIDTH, HEIGHT, label));
    }

    private static void axes(StringBuilder svg, String max, String from, String to) {
        int bottom = HEIGHT - BOTTOM;
        svg.append(String.format(Locale.ROOT, "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>",
                LEFT, TOP, LEFT, bottom));
        svg.append(String.format(Locale.ROOT, "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>",
                LEFT, bottom, WIDTH - RIGHT, bottom));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>",
                LEFT - 6, TOP + 4, Html.escape(max)));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">0</text>",
                LEFT - 6, bottom));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>", LEFT, HEIGHT - 8,
                Html.escape(from)));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>",
                WIDTH - RIGHT, HEIGHT - 8, Html.escape(to)));
    }

    private static String empty(String what) {
        return String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>", WIDTH / 2,
                HEIGHT / 2, what);
    }

    private static int plotWidth() {
        return WIDTH - LEFT - RIGHT;
    }

    private static double y(long value, long max) {
        return TOP + (HEIGHT - TOP - BOTTOM) * (1 - value / (double) max);
    }
}
