package run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Stream;

import core.DataDirLayout;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import config.InboxConfig;
import core.Printable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends a run, whatever its outcome: writes {@code <data.dir>/runs/<runId>.json}, logs the one-line summary, keeps a
 * failed input aside (the inbox's {@code .failed/} with a {@code .error.json} sidecar, or {@code <data.dir>/failed/}
 * for a download) and clears the run's work folder.
 */
public final class RunReporter {

    private static final Logger LOG = LoggerFactory.getLogger("pipeline.run");
    /** The longest file name, in bytes, of the file systems the data dir lives on. */
    private static final int NAME_MAX = 255;
    private static final ObjectMapper JSON = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    private final Path dataDir;
    private final BooleanSupplier stopping;
    private final List<Consumer<PipelineRun>> finishedListeners = new CopyOnWriteArrayList<>();

    public RunReporter(Path dataDir) {
        this(dataDir, () -> false);
    }

    /** {@code stopping}: true once the app is shutting down, when a run that fails was interrupted, not refused. */
    public RunReporter(Path dataDir, BooleanSupplier stopping) {
        this.dataDir = dataDir;
        this.stopping = stopping;
    }

    /** A run failing now may have been cut short by the stop: its input is kept for the next start. */
    public boolean isStopping() {
        return stopping.getAsBoolean();
    }

    /** Told of every run once its report is written (the run metrics). */
    public void onFinished(Consumer<PipelineRun> listener) {
        finishedListeners.add(listener);
    }

    public Path workDir(PipelineRun run) throws IOException {
        return Files.createDirectories(DataDirLayout.work(dataDir).resolve(run.getRunId()));
    }

    public Path reportFile(PipelineRun run) {
        return DataDirLayout.runs(dataDir).resolve(run.getRunId() + ".json");
    }

    /** Writes the report of a finished run and moves its input where it belongs. */
    public void finish(PipelineRun run, RunFiles files) {
        try {
            keepInput(run, files);
            Path report = reportFile(run);
            Files.createDirectories(report.getParent());
            // written aside then moved, so a reader never sees half a report
            Path partial = report.resolveSibling(report.getFileName() + ".partial");
            JSON.writeValue(partial.toFile(), run);
            Files.move(partial, report, StandardCopyOption.ATOMIC_MOVE);
            LOG.info(summary(run));
            finishedListeners.forEach(listener -> listener.accept(run));
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the run report of " + run.getRunId(), e);
        } finally {
            deleteWorkDir(run, files);
        }
    }

    /** A run that turned out to have nothing to do: its work folder goes, no report is written. */
    public void discard(PipelineRun run, RunFiles files) {
        deleteWorkDir(run, files);
    }

    static String summary(PipelineRun run) {
        StringBuilder line = new StringBuilder()
                .append("run ").append(run.getRunId()).append(' ').append(run.getStatus())
                .append(" trigger=").append(run.getTrigger())
                // a dropped file's name is outside text: no escape sequence or tab may colour or forge the line
                .append(" source=").append(Printable.escape(run.getSource()))
                .append(" bytes=").append(run.getBytesRead())
                .append(" rows read/written/rejected=").append(run.getRowsRead()).append('/')
                .append(run.getRowsWritten()).append('/').append(run.getRowsRejected());
        if (run.getParquetUri() != null) {
            line.append(" parquet=").append(run.getParquetUri());
        }
        if (run.getTable() != null) {
            line.append(" table=").append(run.getTable()).append(" snapshot=").append(run.getSnapshotId());
        }
        PipelineRun.QueryOutcome query = run.getQuery();
        if (query != null && query.status() == RunStatus.SUCCEEDED) {
            line.append(" queryRows=").append(query.rows());
        } else if (query != null) {
            line.append(" query=").append(query.status())
                    .append(" queryError=\"").append(Printable.escape(firstLine(query.error()))).append('"');
        }
        if (run.getReason() != null) {
            line.append(" reason=\"").append(Printable.escape(run.getReason())).append('"');
        }
        if (run.getError() != null) {
            line.append(" stage=").append(run.getError().stage())
                    .append(" error=\"").append(Printable.escape(firstLine(run.getError().message()))).append('"');
        }
        return line.append(" in ").append(run.getDurationMs()).append(" ms").toString();
    }

    /** The summary stays one line; the report and the sidecar keep the whole message. */
    static String firstLine(String message) {
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline) + " (more in the run report)";
    }

    private void keepInput(PipelineRun run, RunFiles files) throws IOException {
        Path inbox = files.inboxFile();
        boolean failed = run.getStatus() == RunStatus.FAILED;
        if (failed && inbox != null && Files.exists(inbox, LinkOption.NOFOLLOW_LINKS) && isStopping()) {
            // not bad input but a stop mid-run: the file stays in the inbox and is read again on the next start
            LOG.warn("run {} interrupted by the stop: {} stays in the inbox for the next start", run.getRunId(),
                    Printable.escape(inbox.getFileName().toString()));
            return;
        }
        if (inbox != null && Files.exists(inbox, LinkOption.NOFOLLOW_LINKS)) {
            Path target = moveAside(inbox, inbox.resolveSibling(failed ? ".failed" : ".done"), run);
            // the done marker of pipeline.inbox.doneMarker goes with its file, so the next x.csv waits for its own
            String marker = inbox.getFileName() + InboxConfig.DONE_MARKER_SUFFIX;
            if (utf8Length(marker) <= NAME_MAX) {
                Files.deleteIfExists(inbox.resolveSibling(marker));
            }
            if (failed) {
                writeSidecar(target, run);
            }
        } else if (failed && files.downloaded() && Files.exists(files.input())) {
            Path target = moveAside(files.input(), DataDirLayout.failed(dataDir), run);
            writeSidecar(target, run);
        }
    }

    private static Path moveAside(Path file, Path folder, PipelineRun run) throws IOException {
        Files.createDirectories(folder);
        String name = file.getFileName().toString();
        if (utf8Length(name) > InboxConfig.MAX_NAME_BYTES) {
            // a name the inbox refused for its length: kept under its beginning and the run's id, the report and the
            // sidecar name it whole
            name = beginning(name, InboxConfig.MAX_NAME_BYTES - 1 - run.getRunId().length()) + "." + run.getRunId();
        }
        Path target = folder.resolve(name);
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            // an earlier input of the same name is kept too
            target = folder.resolve(name + "." + run.getRunId());
        }
        return Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
    }

    private static int utf8Length(String name) {
        return name.getBytes(StandardCharsets.UTF_8).length;
    }

    /** The longest beginning of {@code name} of at most {@code maxBytes} UTF-8 bytes, whole characters only. */
    static String beginning(String name, int maxBytes) {
        int bytes = 0;
        int end = 0;
        while (end < name.length()) {
            int codePoint = name.codePointAt(end);
            int size = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8).length;
            if (bytes + size > maxBytes) {
                break;
            }
            bytes += size;
            end += Character.charCount(codePoint);
        }
        return name.substring(0, end);
    }

    private static void writeSidecar(Path failedInput, PipelineRun run) throws IOException {
        Map<String, Object> sidecar = new LinkedHashMap<>();
        sidecar.put("runId", run.getRunId());
        sidecar.put("stage", run.getError().stage());
        sidecar.put("reason", run.getError().message());
        sidecar.put("source", run.getSource());
        sidecar.put("failedAt", run.getFinishedAt());
        JSON.writeValue(failedInput.resolveSibling(failedInput.getFileName() + ".error.json").toFile(), sidecar);
    }

    private void deleteWorkDir(PipelineRun run, RunFiles files) {
        for (Path file : files.workFiles()) {
            file.toFile().delete();
        }
        Path work = DataDirLayout.work(dataDir).resolve(run.getRunId());
        if (!Files.exists(work)) {
            return;
        }
        try (Stream<Path> inWork = Files.walk(work)) {
            inWork.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.warn("could not delete the work folder {}: {}", work, e.getMessage());
        }
    }
}
