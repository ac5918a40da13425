package bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The benchmarks' reference: DuckDB's {@code COPY ... TO ... (FORMAT parquet, COMPRESSION snappy)} of the products
 * CSV, {@code threads=2}, run by {@code src/test/python/duckdb_copy.py} from the benchmarks' own venv
 * ({@code scripts/setup-bench-python.sh}: the newest DuckDB, which the tests' {@code .venv} cannot hold). Warm: one
 * long-lived Python process, one COPY per request, each timed inside it (wall, and CPU of every thread).
 */
final class DuckDbReference implements AutoCloseable {

    static final Path SCRIPT = Path.of("src", "test", "python", "duckdb_copy.py");
    static final Path DEFAULT_PYTHON = Path.of("target", "bench-venv", "bin", "python");

    private final Process process;
    private final BufferedReader answers;
    private final Writer requests;
    private final String version;

    private DuckDbReference(Process process) throws IOException {
        this.process = process;
        this.answers = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.requests = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        this.version = answer("duckdb ");
    }

    /** The warm reference: a Python process that waits for COPY requests. */
    static DuckDbReference startWarm(Path python, Path log) throws IOException {
        return new DuckDbReference(new ProcessBuilder(List.of(checked(python).toString(),
                SCRIPT.toAbsolutePath().toString(), "warm")).redirectError(log.toFile()).start());
    }

    /** The command of one cold COPY in a fresh Python process; it prints "first conversion <s> <cpu s>". */
    static List<String> coldCommand(Path python, Path csv, Path parquet) {
        return List.of(checked(python).toString(), SCRIPT.toAbsolutePath().toString(), "cold",
                csv.toAbsolutePath().toString(), parquet.toAbsolutePath().toString());
    }

    /** The DuckDB version of this process, e.g. {@code 2.0.1}. */
    String version() {
        return version;
    }

    /** One COPY of {@code csv} to {@code parquet}: its wall and CPU seconds as DuckDB's process measured them. */
    double[] copy(Path csv, Path parquet) throws IOException {
        requests.write(csv.toAbsolutePath() + "\t" + parquet.toAbsolutePath() + "\n");
        requests.flush();
        String[] times = answer("copy ").split(" ");
        return new double[] {Double.parseDouble(times[0]), Double.parseDouble(times[1])};
    }

    /** The peak RSS of DuckDB's process so far, in MB. */
    long peakRssMb() {
        return MeasuredProcess.peakRssKb(Path.of("/proc", Long.toString(process.pid()))) >> 10;
    }

    @Override
    public void close() throws Exception {
        requests.close();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    private String answer(String prefix) throws IOException {
        String line = answers.readLine();
        if (line == null || !line.startsWith(prefix)) {
            throw new IllegalStateException("DuckDB's process answered " + line + " instead of " + prefix + "...");
        }
        return line.substring(prefix.length());
    }

    private static Path checked(Path python) {
        if (!Files.isExecutable(python)) {
            throw new IllegalStateException(python + " not found: run bash scripts/setup-bench-python.sh first (the"
                    + " benchmarks' venv, with the newest DuckDB)");
        }
        return python.toAbsolutePath();
    }
}
