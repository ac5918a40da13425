package bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The web UI's runs page over a long history: {@code --reports} run reports (10,000 by default, three datasets, one
 * run in ten FAILED, one in twenty SKIPPED) written into a fresh data dir, the app started on it as a service
 * ({@code app.Application}, management server on a free port), and once it has indexed them, each page below asked for
 * {@code --rounds} times after {@code --warm-up} unmeasured requests: the time to the last byte, median and 95th
 * percentile. A benchmark, not a test: it asserts no time. docs/performance.md runs it.
 */
public final class RunsPageBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LISTENING = Pattern.compile("Vert.x HttpServer started on [^:]+:(\\d+)");
    private static final Pattern INDEXED = Pattern.compile("Indexed (\\d+) run reports of .* in (\\d+) ms");
    private static final List<String> PAGES = List.of("/", "/?page=100", "/?dataset=orders&status=FAILED",
            "/api/runs", "/api/runs?offset=9000&limit=100", "/datasets/orders");

    private RunsPageBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int reports = ConvertBenchmark.countArg(args, "--reports", 10_000, 1);
        int rounds = ConvertBenchmark.countArg(args, "--rounds", 200, 1);
        int warmUp = ConvertBenchmark.countArg(args, "--warm-up", 200, 0);
        Path dir = Files.createTempDirectory("runs-page-bench-");
        Path data = dir.resolve("data");
        writeReports(data.resolve("runs"), reports);
        Path log = dir.resolve("service.log");
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-Dpipeline.data.dir=" + data, "-Dcamel.management.port=0",
                "-Dpipeline.datasets=products,orders,customers",
                "-Dpipeline.dataset.orders.convert.schema=classpath:schemas/orders.avsc",
                "-Dpipeline.dataset.orders.table.name=orders", "-Dpipeline.dataset.customers.table.name=customers",
                "-cp", System.getProperty("java.class.path"), "app.Application");
        Process service = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            String port = awaitLine(log, LISTENING, service).group(1);
            Matcher indexed = awaitLine(log, INDEXED, service);
            System.out.printf(Locale.ROOT, "%,d reports indexed at start in %s ms; %d cores, load average %.2f;"
                    + " %d requests per page after %d unmeasured%n", Integer.parseInt(indexed.group(1)),
                    indexed.group(2), Runtime.getRuntime().availableProcessors(), ConvertBenchmark.loadAverage(),
                    rounds, warmUp);
            HttpClient http = HttpClient.newHttpClient();
            for (String page : PAGES) {
                URI uri = URI.create("http://127.0.0.1:" + port + page);
                HttpRequest request = HttpRequest.newBuilder(uri).build();
                for (int i = 0; i < warmUp; i++) {
                    http.send(request, HttpResponse.BodyHandlers.ofByteArray());
                }
                double[] ms = new double[rounds];
                long bytes = 0;
                for (int i = 0; i < rounds; i++) {
                    long started = System.nanoTime();
                    HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
                    ms[i] = (System.nanoTime() - started) / 1e6;
                    if (response.statusCode() != 200) {
                        throw new IllegalStateException(page + " answered " + response.statusCode());
                    }
                    bytes = response.body().length;
                }
                Arrays.sort(ms);
                System.out.printf(Locale.ROOT, "%-34s median %6.1f ms, p95 %6.1f ms, max %6.1f ms (%,d bytes)%n", page,
                        ms[rounds / 2], ms[(int) Math.min(rounds - 1, Math.ceil(rounds * 0.95) - 1)], ms[rounds - 1],
                        bytes);
            }
        } finally {
            service.destroy();
            if (!service.waitFor(30, TimeUnit.SECONDS)) {
                service.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        System.out.println("data dir and service log kept in " + dir);
    }

    /** Reports as runs write them, a minute apart, over three datasets. */
    private static void writeReports(Path runs, int count) throws Exception {
        Files.createDirectories(runs);
        String[] datasets = {"products", "orders", "customers"};
        Instant first = Instant.parse("2026-01-01T00:00:00Z");
        for (int i = 0; i < count; i++) {
            Instant started = first.plusSeconds(60L * i);
            String runId = String.format(Locale.ROOT, "bench-%06d", i);
            String dataset = datasets[i % datasets.length];
            String status = i % 10 == 3 ? "FAILED" : i % 20 == 7 ? "SKIPPED" : "SUCCEEDED";
            ObjectNode report = JSON.createObjectNode();
            report.put("runId", runId).put("dataset", dataset).put("status", status).put("trigger", "file")
                    .put("source", dataset + "-" + i + ".csv").put("startedAt", started.toString())
                    .put("finishedAt", started.plusMillis(4_000 + i % 977).toString())
                    .put("durationMs", 4_000 + i % 977).put("bytesRead", 120_000 + i)
                    .put("sha256", String.format(Locale.ROOT, "%064x", i)).put("rowsRead", 1_000 + i % 50);
            if ("FAILED".equals(status)) {
                report.putObject("error").put("stage", "convert").put("message", "line 3, column product_id,"
                        + " value 'abc': not an int");
            } else if ("SKIPPED".equals(status)) {
                report.put("reason", "the table holds this input already");
            } else {
                report.put("rowsWritten", 1_000 + i % 50).put("rowsRejected", 0)
                        .put("table", "data." + dataset).put("snapshotId", 1_000_000L + i);
            }
            ObjectNode stages = report.putObject("stageMs");
            for (Map.Entry<String, Integer> stage : Map.of("prepare", 300, "convert", 1_900, "upload", 400,
                    "load", 900, "query", 500).entrySet()) {
                stages.put(stage.getKey(), stage.getValue() + i % 97);
            }
            JSON.writerWithDefaultPrettyPrinter().writeValue(runs.resolve(runId + ".json").toFile(), report);
        }
    }

    private static Matcher awaitLine(Path log, Pattern line, Process service) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (System.nanoTime() < until) {
            Matcher m = line.matcher(Files.readString(log));
            if (m.find()) {
                return m;
            }
            if (!service.isAlive()) {
                throw new IllegalStateException("the app ended (" + service.exitValue() + "); see " + log);
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
        throw new IllegalStateException("no '" + line + "' in " + log + " within 180 s");
    }
}
