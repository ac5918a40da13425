package bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * One fresh process of a benchmark, timed from fork to exit: wall time, CPU time (user + system, from
 * {@code /proc/<pid>/stat}) and peak RSS ({@code VmHWM} of {@code /proc/<pid>/status}), both read every 10 ms until
 * it exits, so the last reading is the peak. Its output goes to a file, kept for a failure's message. Each starts
 * {@link #SETTLE} after whatever ran before: a process started the moment another ended reuses the memory that one
 * freed while it is still warm (measured: the pyiceberg script's system time 0.4 s right after a run of itself,
 * 1.5-2 s a second later), which no user's run gets and which favoured whichever side followed itself.
 */
record MeasuredProcess(double seconds, double cpuSeconds, long peakRssKb, String output) {

    private static final double CLOCK_TICKS_PER_SECOND = 100.0;
    private static final Duration SETTLE = Duration.ofSeconds(2);

    static MeasuredProcess run(List<String> command, Path workDir, Path log) throws IOException,
            InterruptedException {
        Thread.sleep(SETTLE.toMillis());
        long started = System.nanoTime();
        Process process = new ProcessBuilder(command).directory(workDir.toAbsolutePath().toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        Path proc = Path.of("/proc", Long.toString(process.pid()));
        long rss = 0;
        double cpu = 0;
        while (!process.waitFor(10, TimeUnit.MILLISECONDS)) {
            rss = Math.max(rss, peakRssKb(proc));
            cpu = Math.max(cpu, cpuSeconds(proc));
        }
        double seconds = ConvertBenchmark.seconds(System.nanoTime() - started);
        String output = Files.readString(log, StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new IllegalStateException("exit code " + process.exitValue() + " of " + command + "; its output:\n"
                    + tail(output));
        }
        return new MeasuredProcess(seconds, cpu, rss, output);
    }

    String describe() {
        return String.format(Locale.ROOT, "%.2f s (cpu %.2f s, peak RSS %d MB)", seconds, cpuSeconds,
                peakRssKb >> 10);
    }

    static long peakRssKb(Path proc) {
        try {
            for (String line : Files.readAllLines(proc.resolve("status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone between two readings: the previous one stands
        }
        return 0;
    }

    private static double cpuSeconds(Path proc) {
        try {
            String stat = Files.readString(proc.resolve("stat"));
            // fields after the command name in parentheses: state is field 3, utime 14, stime 15
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / CLOCK_TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static String tail(String output) {
        List<String> lines = output.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }
}
