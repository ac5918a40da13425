package support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The real application ({@code app.Application}) in a child JVM on the test class path, as a user runs it: the
 * launcher's JVM options for its mode, system properties, environment variables, exit code, stdout and stderr.
 */
public final class ApplicationProcess {

    /** How the child ended and what it printed. */
    public record Result(int exitCode, String stdout, String stderr) {

        /** Everything the child printed, for assertion messages. */
        public String output() {
            return "exit code " + exitCode + "\n--- stdout ---\n" + stdout + "\n--- stderr ---\n" + stderr;
        }
    }

    private static final Path LAUNCHER_OPTIONS = Path.of("bin", "jvm.options");
    private static final Path ONE_SHOT_OPTIONS = Path.of("bin", "jvm-oneshot.options");
    private static final Pattern ONCE_OPTION = Pattern.compile("-Dpipeline\\.(dataset\\.[^=]+\\.)?once=.+");
    private static final Pattern ONCE_VARIABLE = Pattern.compile("PIPELINE_(DATASET_.+_)?ONCE");
    private static final Pattern ONCE_SETTING = Pattern.compile(
            "(?m)^\\s*pipeline\\.(dataset\\.[^=:\\s]+\\.)?once\\s*[=:]\\s*\\S");

    private ApplicationProcess() {
    }

    /**
     * A one-shot process as bin/s3tables-pipeline tells one: a command or a once input on its command line, in its
     * environment or in its {@code --config} file.
     */
    static boolean oneShot(List<String> jvmArguments, List<String> arguments, Map<String, String> environment)
            throws IOException {
        List<String> rest = arguments;
        Path config = null;
        if (!rest.isEmpty() && rest.get(0).equals("--config") && rest.size() > 1) {
            config = Path.of(rest.get(1));
            rest = rest.subList(2, rest.size());
        } else if (!rest.isEmpty() && rest.get(0).startsWith("--config=")) {
            config = Path.of(rest.get(0).substring("--config=".length()));
            rest = rest.subList(1, rest.size());
        }
        return !rest.isEmpty()
               || jvmArguments.stream().anyMatch(option -> ONCE_OPTION.matcher(option).matches())
               || environment.entrySet().stream().anyMatch(variable -> !variable.getValue().isEmpty()
                       && ONCE_VARIABLE.matcher(variable.getKey()).matches())
               || config != null && Files.isReadable(config)
                  && ONCE_SETTING.matcher(Files.readString(config, StandardCharsets.UTF_8)).find();
    }

    /** A child still running: its process and where its output goes. */
    public record Running(Process process, Path stdoutFile, Path stderrFile) {

        public String stdout() throws IOException {
            return read(stdoutFile);
        }

        /** Waits for the exit; fails if it has not come within {@code timeout}, killing the child. */
        public Result awaitExit(Duration timeout) throws IOException, InterruptedException {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError("the application did not exit within " + timeout + "\n"
                        + new Result(-1, read(stdoutFile), read(stderrFile)).output());
            }
            return new Result(process.exitValue(), read(stdoutFile), read(stderrFile));
        }

        /** SIGKILL, as a crash or {@code kill -9} would end it: no shutdown hook runs. */
        public void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /**
     * Runs the application with {@code -Dpipeline.data.dir=<dataDir>}, the given JVM arguments and extra environment
     * (no other {@code PIPELINE_*} variable is inherited); fails if it has not exited within {@code timeout}.
     */
    public static Result run(Path dataDir, List<String> jvmArguments, Map<String, String> environment,
            Duration timeout) throws IOException, InterruptedException {
        return start(dataDir, jvmArguments, environment).awaitExit(timeout);
    }

    /** Runs a command of the application ({@code runs}, {@code maintain}...) with its arguments, as {@link #run} does. */
    public static Result command(Path dataDir, List<String> jvmArguments, List<String> arguments, Duration timeout)
            throws IOException, InterruptedException {
        return start(dataDir, jvmArguments, arguments, Map.of()).awaitExit(timeout);
    }

    /** Runs the application as {@link #run} does, with {@code arguments} after its class: a command, --config. */
    public static Result run(Path dataDir, List<String> jvmArguments, List<String> arguments,
            Map<String, String> environment, Duration timeout) throws IOException, InterruptedException {
        return start(dataDir, jvmArguments, arguments, environment).awaitExit(timeout);
    }

    /** Starts the application as {@link #run} does, and returns at once. */
    public static Running start(Path dataDir, List<String> jvmArguments, Map<String, String> environment)
            throws IOException {
        return start(dataDir, jvmArguments, List.of(), environment);
    }

    /** Starts the application with {@code arguments} after its class, and returns at once. */
    public static Running start(Path dataDir, List<String> jvmArguments, List<String> arguments,
            Map<String, String> environment) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // bin/s3tables-pipeline's options files (java reads them as @argfiles): a one-shot child compiles with C1
        // alone, as a user's one-shot does, and costs the loaded test machine about a third less CPU
        command.add("@" + LAUNCHER_OPTIONS.toAbsolutePath());
        if (oneShot(jvmArguments, arguments, environment)) {
            command.add("@" + ONE_SHOT_OPTIONS.toAbsolutePath());
        }
        command.add("-Xmx512m");
        command.add("-Dpipeline.data.dir=" + dataDir);
        // a daemon's management server on a free port: tests and other users of the machine may hold 9876
        command.add("-Dcamel.management.port=0");
        command.addAll(jvmArguments);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("app.Application");
        command.addAll(arguments);

        Files.createDirectories(dataDir);
        Path stdout = Files.createTempFile(dataDir.getParent(), dataDir.getFileName() + "-", ".stdout");
        Path stderr = Files.createTempFile(dataDir.getParent(), dataDir.getFileName() + "-", ".stderr");
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("PIPELINE_"));
        builder.environment().putAll(environment);
        return new Running(builder.start(), stdout, stderr);
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }
}
