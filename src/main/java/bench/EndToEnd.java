package bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import app.Application;
import app.OneShotCompletion;
import app.PipelineBeans;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.main.Main;

/** Runs the whole local pipeline once, in this JVM, on a generated CSV and prints each stage's time from the report. */
final class EndToEnd {

    private EndToEnd() {
    }

    static void run(Path csv, Path dataDir, long rows) throws Exception {
        Map<String, String> properties = Map.of(
                "pipeline.once", csv.toString(),
                "pipeline.data.dir", dataDir.toString(),
                "pipeline.inbox.enabled", "false",
                // an aggregate: the run's results CSV stays one line whatever the input size
                "pipeline.query.sql", "SELECT count(*) AS n, sum(product_id) AS s FROM \"data\".\"products\"");
        properties.forEach(System::setProperty);
        long started = System.nanoTime();
        Main main = Application.newMain();
        OneShotCompletion oneShot = main.lookup(PipelineBeans.ONE_SHOT, OneShotCompletion.class);
        try {
            main.run(new String[0]);
        } finally {
            properties.keySet().forEach(System::clearProperty);
        }
        double total = ConvertBenchmark.seconds(System.nanoTime() - started);
        JsonNode report = report(dataDir.resolve("runs"));
        System.out.printf(Locale.ROOT, "end to end: %s, %d rows written, exit code %d, %.1f s including start-up "
                + "(load average %.2f)%n", report.get("status").asText(), report.get("rowsWritten").asLong(),
                oneShot.exitCode(), total, ConvertBenchmark.loadAverage());
        long sum = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = report.get("stageMs").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> stage = it.next();
            long ms = stage.getValue().asLong();
            sum += ms;
            System.out.printf(Locale.ROOT, "  %-9s %8d ms  %,12.0f rows/s%n", stage.getKey(), ms,
                    ms == 0 ? 0.0 : rows * 1000.0 / ms);
        }
        System.out.printf(Locale.ROOT, "  sum of the report's stageMs %d ms, wall clock of the whole run %.0f ms%n",
                sum, total * 1000);
        if (oneShot.exitCode() != 0) {
            throw new IllegalStateException("the run did not succeed: " + report);
        }
    }

    private static JsonNode report(Path runs) throws Exception {
        try (Stream<Path> files = Files.list(runs)) {
            List<Path> reports = files.filter(p -> p.toString().endsWith(".json")).toList();
            if (reports.size() != 1) {
                throw new IllegalStateException("expected one run report in " + runs + ", found " + reports);
            }
            return new ObjectMapper().readTree(reports.get(0).toFile());
        }
    }
}
