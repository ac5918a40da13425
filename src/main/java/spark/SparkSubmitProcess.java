package spark;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one spark-submit command as a child process (the arguments as a list, no shell): every line of its stdout and
 * stderr is logged as it arrives, stdout is kept for the caller, and only a bounded tail of stderr (Spark's own log) is
 * kept, plus every {@code ERROR:} line the job wrote.
 */
public final class SparkSubmitProcess {

    /** Lines of stderr kept for a failure message. */
    public static final int STDERR_TAIL_LINES = 40;
    private static final int STDOUT_MAX_LINES = 10_000;

    private static final Logger LOG = LoggerFactory.getLogger(SparkSubmitProcess.class);

    /** How a run ended: the exit code, stdout (at most 10,000 lines), the job's ERROR: lines and stderr's tail. */
    public record Outcome(int exitCode, List<String> stdout, List<String> errorLines, List<String> stderrTail) {

        public boolean succeeded() {
            return exitCode == 0;
        }

        /** The job's own message when it wrote one (its last ERROR: line), else the last line of stderr. */
        public String error() {
            if (!errorLines.isEmpty()) {
                return errorLines.get(errorLines.size() - 1);
            }
            return stderrTail.isEmpty() ? "(no output on stderr)" : stderrTail.get(stderrTail.size() - 1);
        }

        /** A failure message: exit code, the job's error, then the tail of stderr. */
        public String describeFailure() {
            return "spark-submit exited with code " + exitCode + ": " + error()
                   + "\nlast lines of stderr:\n" + String.join("\n", stderrTail);
        }
    }

    private SparkSubmitProcess() {
    }

    /**
     * Runs {@code command} with {@code environment} added to this process's environment and waits at most
     * {@code timeout}; a run that takes longer, or a waiting thread that is interrupted, kills the process tree.
     */
    public static Outcome run(SparkSubmitCommand command, Map<String, String> environment, Duration timeout)
            throws InterruptedException {
        return run(command, environment, timeout, ConcurrentHashMap.newKeySet());
    }

    /** As {@link #run(SparkSubmitCommand, Map, Duration)}, the process kept in {@code running} while it runs. */
    static Outcome run(SparkSubmitCommand command, Map<String, String> environment, Duration timeout,
                       Set<Process> running) throws InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command.arguments()).redirectInput(ProcessBuilder.Redirect.PIPE);
        builder.environment().putAll(environment);
        LOG.info("Running {}", command);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new SparkJobFailedException("Cannot start " + command.arguments().get(0) + ": " + e.getMessage()
                                              + " (check pipeline.spark.sparkSubmit)");
        }
        running.add(process);
        try {
            return await(process, timeout);
        } finally {
            running.remove(process);
        }
    }

    private static Outcome await(Process process, Duration timeout) throws InterruptedException {
        closeQuietly(process);
        List<String> stdout = Collections.synchronizedList(new ArrayList<>());
        List<String> errorLines = Collections.synchronizedList(new ArrayList<>());
        Deque<String> tail = new ArrayDeque<>();
        Thread out = pump(process.getInputStream(), "stdout", line -> {
            if (stdout.size() < STDOUT_MAX_LINES) {
                stdout.add(line);
            }
        });
        Thread err = pump(process.getErrorStream(), "stderr", line -> {
            if (line.startsWith("ERROR:")) {
                errorLines.add(line);
            }
            synchronized (tail) {
                if (tail.size() == STDERR_TAIL_LINES) {
                    tail.removeFirst();
                }
                tail.addLast(line);
            }
        });
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                kill(process);
                throw new SparkJobFailedException("spark-submit did not finish within pipeline.spark.timeout="
                                                  + timeout + " and was killed; last lines of stderr:\n"
                                                  + String.join("\n", snapshot(tail)));
            }
            out.join();
            err.join();
        } catch (InterruptedException e) {
            kill(process);
            throw e;
        }
        return new Outcome(process.exitValue(), List.copyOf(stdout), List.copyOf(errorLines), snapshot(tail));
    }

    private static Thread pump(InputStream stream, String name, Consumer<String> sink) {
        Thread thread = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    LOG.info("spark-submit {}: {}", name, line);
                    sink.accept(line);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, "spark-submit-" + name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    // spark-submit starts a JVM that starts Python: all of them go
    static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private static void closeQuietly(Process process) {
        try {
            process.getOutputStream().close(); // the job reads nothing
        } catch (IOException e) {
            LOG.debug("Ignoring a failure to close spark-submit's stdin", e);
        }
    }

    private static List<String> snapshot(Deque<String> tail) {
        synchronized (tail) {
            return List.copyOf(tail);
        }
    }
}
