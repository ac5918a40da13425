package run;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Stream;

import core.DataDirLayout;
import core.DiskSpace;
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

    /** The space {@code runs/.reserve} keeps for reports: many times what the report and sidecar of a run take. */
    static final long RESERVE_BYTES = 1024 * 1024;

    private final Path dataDir;
    private final BooleanSupplier stopping;
    private volatile boolean reserveReleased;
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

    /** The data dir whose reports these are. */
    public Path dataDir() {
        return dataDir;
    }

    /**
     * Keeps {@value #RESERVE_BYTES} bytes of the data dir's disk in {@code runs/.reserve}, given up to write the
     * report of a run that found the disk full; called at start-up, which says so when it cannot.
     */
    public void reserveSpace() {
        if (!takeReserve()) {
            LOG.warn("Cannot keep {} bytes in {} for the reports of runs that fill the disk ({})", RESERVE_BYTES,
                    reserveFile(), DiskSpace.describe(reserveFile().getParent()));
        }
    }

    /**
     * Moves the input of a finished run where it belongs, clears its work folder and writes its report, and so on a
     * full disk too: the space kept in {@code runs/.reserve} is given up for the report if need be. A report that
     * cannot be written all the same is said in the log, with its path and the space left; no half report stays.
     */
    public void finish(PipelineRun run, RunFiles files) {
        try {
            keepInput(run, files);
        } catch (IOException e) {
            LOG.error("run {}: could not keep its input aside: {}", run.getRunId(), withSpace(e, dataDir));
        }
        // the work files go first: on a full disk they hold the space the report needs
        deleteWorkDir(run, files);
        Path report = reportFile(run);
        try {
            withRoom(run, () -> writeJson(report, run));
        } catch (IOException e) {
            LOG.error("run {}: could not write its report {}: {}", run.getRunId(), report, withSpace(e, report));
        }
        LOG.info(summary(run));
        finishedListeners.forEach(listener -> listener.accept(run));
        if (reserveReleased) {
            takeReserve();
        }
    }

    /**
     * Writes with {@code write} (a folder, a move, a file); if the disk is full, again once the reserve is given up.
     * Each step is one that may be tried again: it wrote nothing if it failed.
     */
    private Path withRoom(PipelineRun run, IoStep write) throws IOException {
        try {
            return write.run();
        } catch (IOException e) {
            if (!DiskSpace.isFull(e) || !releaseReserve()) {
                throw e;
            }
            LOG.warn("run {}: the disk is full, the {} bytes kept in {} are given up for its report", run.getRunId(),
                    RESERVE_BYTES, reserveFile());
            return write.run();
        }
    }

    /** An I/O step that writes one thing, the path it wrote. */
    @FunctionalInterface
    private interface IoStep {
        Path run() throws IOException;
    }

    /** Written aside then moved, so a reader never sees half a file, and no half file stays. */
    private static Path writeJson(Path file, Object value) throws IOException {
        Files.createDirectories(file.getParent());
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        try {
            JSON.writeValue(partial.toFile(), value);
            return Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    private static String withSpace(IOException e, Path where) {
        String message = e instanceof FileSystemException ? e.toString() : e.getMessage();
        return DiskSpace.isFull(e) ? message + " (" + DiskSpace.describe(where) + ")" : message;
    }

    private Path reserveFile() {
        return DataDirLayout.runs(dataDir).resolve(".reserve");
    }

    /** Writes the reserve unless it is there; false when the disk has no room for it. */
    private synchronized boolean takeReserve() {
        Path reserve = reserveFile();
        Path partial = reserve.resolveSibling(reserve.getFileName() + ".partial");
        try {
            if (Files.isRegularFile(reserve, LinkOption.NOFOLLOW_LINKS) && Files.size(reserve) == RESERVE_BYTES) {
                reserveReleased = false;
                return true;
            }
            Files.createDirectories(reserve.getParent());
            // bytes that take their blocks on any file system: no sparse file, nothing a compressing one shrinks
            byte[] block = new byte[64 * 1024];
            new SplittableRandom().nextBytes(block);
            try (FileChannel out = FileChannel.open(partial, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                for (long written = 0; written < RESERVE_BYTES; written += block.length) {
                    ByteBuffer buffer = ByteBuffer.wrap(block);
                    while (buffer.hasRemaining()) {
                        out.write(buffer);
                    }
                }
                out.force(true);
            }
            Files.move(partial, reserve, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            reserveReleased = false;
            return true;
        } catch (IOException e) {
            try {
                Files.deleteIfExists(partial);
            } catch (IOException ignored) {
                // a leftover .partial is removed at the next start
            }
            return false;
        }
    }

    /** Gives the reserve up; false when there was none to give. */
    private synchronized boolean releaseReserve() {
        try {
            boolean released = Files.deleteIfExists(reserveFile());
            reserveReleased |= released;
            return released;
        } catch (IOException e) {
            return false;
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
        if (run.getCsvUri() != null) {
            line.append(" csv=").append(run.getCsvUri()).append(" convertedOn=spark");
        }
        if (run.getRejectsUri() != null) {
            line.append(" rejects=").append(run.getRejectsUri());
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
            Path target = withRoom(run, () -> moveAside(inbox, inbox.resolveSibling(failed ? ".failed" : ".done"),
                    run));
            // the done marker of pipeline.inbox.doneMarker goes with its file, so the next x.csv waits for its own
            String marker = inbox.getFileName() + InboxConfig.DONE_MARKER_SUFFIX;
            if (utf8Length(marker) <= NAME_MAX) {
                Files.deleteIfExists(inbox.resolveSibling(marker));
            }
            if (failed) {
                withRoom(run, () -> writeSidecar(target, run));
            }
        } else if (failed && files.downloaded() && Files.exists(files.input())) {
            Path target = withRoom(run, () -> moveAside(files.input(), DataDirLayout.failed(dataDir), run));
            withRoom(run, () -> writeSidecar(target, run));
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

    private static Path writeSidecar(Path failedInput, PipelineRun run) throws IOException {
        Map<String, Object> sidecar = new LinkedHashMap<>();
        sidecar.put("runId", run.getRunId());
        sidecar.put("stage", run.getError().stage());
        sidecar.put("reason", run.getError().message());
        sidecar.put("source", run.getSource());
        sidecar.put("failedAt", run.getFinishedAt());
        return writeJson(failedInput.resolveSibling(failedInput.getFileName() + ".error.json"), sidecar);
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
