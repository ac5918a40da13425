package spark;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import core.RunLogContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one spark-submit command as a child process (the arguments as a list, no shell): every line of its stdout and
 * stderr is logged as it arrives, stdout is kept for the caller, and only a bounded tail of stderr (Spark's own log) is
 * kept, plus every {@code ERROR:} line the job wrote. A run the app kills (its timeout, or the app stopping) says so in
 * its {@link Outcome}, whatever exit code the killed process tree left.
 */
public final class SparkSubmitProcess {

    /** Lines of stderr kept for a failure message. */
    public static final int STDERR_TAIL_LINES = 40;
    private static final int STDOUT_MAX_LINES = 10_000;
    /** How long a killed run's output is read on: a process outside its tree may hold the pipes open. */
    private static final Duration OUTPUT_AFTER_KILL = Duration.ofSeconds(10);

    private static final Logger LOG = LoggerFactory.getLogger(SparkSubmitProcess.class);

    /** Why the app killed a run. */
    public enum Kill {
        /** {@code pipeline.spark.timeout} passed. */
        TIMEOUT,
        /** The app is stopping (or the thread waiting for the run was interrupted). */
        STOP
    }

    /**
     * How a run ended: killed by the app (and why), else by itself with its exit code; stdout (at most 10,000 lines),
     * the job's ERROR: lines and stderr's tail, all read to their end unless a killed run's pipes stayed open.
     */
    public record Outcome(int exitCode, Optional<Kill> killed, List<String> stdout, List<String> errorLines,
                          List<String> stderrTail) {

        /** Ended by itself with exit code 0. */
        public boolean succeeded() {
            return killed.isEmpty() && exitCode == 0;
        }

        /** The job's own message when it wrote one (its last ERROR: line), else the last line of stderr. */
        public String error() {
            if (!errorLines.isEmpty()) {
                return errorLines.get(errorLines.size() - 1);
            }
            return stderrTail.isEmpty() ? "(no output on stderr)" : stderrTail.get(stderrTail.size() - 1);
        }

        /** A failure message: the kill or the exit code, the job's error, then the tail of stderr. */
        public String describeFailure() {
            String end = killed.map(why -> "spark-submit was killed (" + (why == Kill.STOP ? "the app is stopping"
                    : "its timeout passed") + ")").orElse("spark-submit exited with code " + exitCode);
            return end + ": " + error() + "\nlast lines of stderr:\n" + String.join("\n", stderrTail);
        }
    }

    /**
     * The runs of one engine. {@link #stopAll()} kills those running and any that registers later, so that a run
     * starting while the app stops is killed too.
     */
    public static final class Runs {

        private final Set<Run> running = ConcurrentHashMap.newKeySet();
        private volatile boolean stopping;

        /** The app is stopping: every run still going is killed, and so is any that starts from now on. */
        public void stopAll() {
            stopping = true;
            for (Run run : running) {
                run.kill(Kill.STOP);
            }
        }

        public boolean stopping() {
            return stopping;
        }

        // added before the flag is read, and the flag set before the set is read: a run is always seen by one of them
        private void add(Run run) {
            running.add(run);
            if (stopping) {
                run.kill(Kill.STOP);
            }
        }

        private void remove(Run run) {
            running.remove(run);
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
        return run(command, environment, timeout, new Runs());
    }

    /** As {@link #run(SparkSubmitCommand, Map, Duration)}, the run one of {@code runs} while it goes on. */
    static Outcome run(SparkSubmitCommand command, Map<String, String> environment, Duration timeout, Runs runs)
            throws InterruptedException {
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
        Run run = new Run(process);
        runs.add(run);
        try {
            return run.await(timeout);
        } finally {
            runs.remove(run);
        }
    }

    /** One spark-submit process, its output as read so far, and why the app killed it, if it did. */
    private static final class Run {

        private final Process process;
        private final List<String> stdout = Collections.synchronizedList(new ArrayList<>());
        private final List<String> errorLines = Collections.synchronizedList(new ArrayList<>());
        private final Deque<String> tail = new ArrayDeque<>();
        /** Guarded by this: why the app killed the run (the first reason only); set before the kill. */
        private Kill killed;
        /** Guarded by this: when it was killed ({@link System#nanoTime()}). */
        private long killedAt;
        /** Guarded by this: stdout and stderr not yet read to their end. */
        private int openStreams = 2;
        /** Guarded by this: the run's end was taken; a stop coming after that kills nothing. */
        private boolean ended;

        Run(Process process) {
            this.process = process;
        }

        Outcome await(Duration timeout) throws InterruptedException {
            closeStdin();
            pump(process.getInputStream(), "stdout", this::stdoutLine, this::streamEnded);
            pump(process.getErrorStream(), "stderr", this::stderrLine, this::streamEnded);
            long deadline = System.nanoTime() + timeout.toNanos();
            Optional<Kill> why;
            try {
                // the run is over when the process has exited and its output is read to the end
                if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS) || !outputEnded(deadline)) {
                    kill(Kill.TIMEOUT);
                }
                why = end();
                if (why.isPresent()) {
                    // the tree is gone: its exit and the rest of its output come at once
                    process.waitFor(OUTPUT_AFTER_KILL.toNanos(), TimeUnit.NANOSECONDS);
                    if (!outputEnded(System.nanoTime() + OUTPUT_AFTER_KILL.toNanos())) {
                        LOG.warn("spark-submit (pid {}) was killed but its output is still open after {} s: a process"
                                 + " it started outside its tree holds it", process.pid(),
                                 OUTPUT_AFTER_KILL.toSeconds());
                    }
                }
            } catch (InterruptedException e) {
                kill(Kill.STOP);
                throw e;
            }
            return new Outcome(process.isAlive() ? -1 : process.exitValue(), why, List.copyOf(stdout),
                               List.copyOf(errorLines), tail());
        }

        /**
         * Records why, then kills the tree: a snapshot of the descendants, the parent, then the snapshot. The parent
         * goes first so that a wrapper script that waits for its child cannot see the child die and exit by itself.
         */
        synchronized void kill(Kill why) {
            if (ended || killed != null) {
                return;
            }
            killed = why;
            killedAt = System.nanoTime();
            List<ProcessHandle> tree = process.descendants().toList();
            LOG.warn("Killing spark-submit (pid {}) and its {} child process(es): {}", process.pid(), tree.size(),
                     why == Kill.STOP ? "the app is stopping" : "pipeline.spark.timeout passed");
            // through the handle: Process.destroyForcibly would also close the pipes and lose what they still hold
            process.toHandle().destroyForcibly();
            tree.forEach(ProcessHandle::destroyForcibly);
            notifyAll();
        }

        /**
         * Whether stdout and stderr were read to their end before {@code deadline} ({@link System#nanoTime()}), or,
         * once the run is killed, within {@link #OUTPUT_AFTER_KILL} of the kill.
         */
        private synchronized boolean outputEnded(long deadline) throws InterruptedException {
            while (openStreams > 0) {
                long until = killed == null ? deadline : Math.min(deadline, killedAt + OUTPUT_AFTER_KILL.toNanos());
                long left = until - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            return true;
        }

        private synchronized void streamEnded() {
            openStreams--;
            notifyAll();
        }

        private synchronized Optional<Kill> end() {
            ended = true;
            return Optional.ofNullable(killed);
        }

        private void stdoutLine(String line) {
            if (stdout.size() < STDOUT_MAX_LINES) {
                stdout.add(line);
            }
        }

        private void stderrLine(String line) {
            if (line.startsWith("ERROR:")) {
                errorLines.add(line);
            }
            synchronized (tail) {
                if (tail.size() == STDERR_TAIL_LINES) {
                    tail.removeFirst();
                }
                tail.addLast(line);
            }
        }

        private List<String> tail() {
            synchronized (tail) {
                return List.copyOf(tail);
            }
        }

        private void closeStdin() {
            try {
                process.getOutputStream().close(); // the job reads nothing
            } catch (IOException e) {
                LOG.debug("Ignoring a failure to close spark-submit's stdin", e);
            }
        }
    }

    private static void pump(InputStream stream, String name, Consumer<String> sink, Runnable ended) {
        // the job's lines are the run's: they carry its dataset and run id
        Thread thread = new Thread(RunLogContext.carried(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    LOG.info("spark-submit {}: {}", name, line);
                    sink.accept(line);
                }
            } catch (IOException e) {
                LOG.warn("spark-submit {} could not be read to its end: {}", name, e.getMessage());
            } finally {
                ended.run();
            }
        }), "spark-submit-" + name);
        thread.setDaemon(true);
        thread.start();
    }
}
