package run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import core.DataDirLayout;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At start-up, removes what a run killed mid-way (kill -9, power loss) left behind: everything in
 * {@code <data.dir>/work} (run folders, {@code convert-*.parquet}), half-written reports ({@code runs/*.partial}) and
 * state files ({@code state/*.tmp}), and the {@code load-<pid>-*.parquet} staging files in the JVM's temp folder whose
 * process is gone. One log line says what was removed. A step of the start-up, once the data dir's lock is held:
 * another live instance's work files are not leftovers.
 */
public final class CrashLeftovers extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger("pipeline.run");
    private static final Pattern LOAD_FILE = Pattern.compile("load-(\\d+)-\\d+\\.parquet");

    private final Path dataDir;
    private final Path tempDir;

    /** {@code tempDir}: the JVM's temp folder, where loads stage their files. */
    public CrashLeftovers(Path dataDir, Path tempDir) {
        this.dataDir = dataDir;
        this.tempDir = tempDir;
    }

    @Override
    protected void doStart() {
        remove(dataDir, tempDir);
    }

    /** Removes the leftovers and returns them. */
    public static List<Path> remove(Path dataDir, Path tempDir) {
        List<Path> removed = new ArrayList<>();
        Path work = DataDirLayout.work(dataDir);
        if (Files.isDirectory(work)) {
            try (Stream<Path> files = Files.walk(work)) {
                // files named in the log line; their folders go silently
                files.filter(p -> !p.equals(work)).sorted(Comparator.reverseOrder())
                        .forEach(p -> delete(p, Files.isDirectory(p) ? new ArrayList<>() : removed));
            } catch (IOException e) {
                throw new UncheckedIOException("could not clear " + work, e);
            }
        }
        removeMatching(DataDirLayout.runs(dataDir), "*.partial", file -> true, removed);
        removeMatching(DataDirLayout.state(dataDir), "*.tmp", file -> true, removed);
        // each dataset's own state, when the process serves several: state/<dataset>/
        for (Path datasetState : folders(DataDirLayout.state(dataDir))) {
            removeMatching(datasetState, "*.tmp", file -> true, removed);
        }
        // the temp folder is shared with other programs and other instances of this one: only files of dead processes
        removeMatching(tempDir, "load-*.parquet", CrashLeftovers::writerIsGone, removed);
        if (!removed.isEmpty()) {
            LOG.info("Removed {} leftover(s) of an interrupted earlier run: {}", removed.size(),
                    removed.stream().map(p -> p.startsWith(dataDir) ? dataDir.relativize(p) : p).toList());
        }
        return removed;
    }

    /** {@code load-<pid>-<random>.parquet} whose process no longer runs. */
    static boolean writerIsGone(Path file) {
        Matcher name = LOAD_FILE.matcher(file.getFileName().toString());
        return name.matches() && ProcessHandle.of(Long.parseLong(name.group(1))).map(p -> !p.isAlive()).orElse(true);
    }

    private static List<Path> folders(Path folder) {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.filter(Files::isDirectory).toList();
        } catch (IOException e) {
            LOG.warn("could not look for leftovers in {}: {}", folder, e.getMessage());
            return List.of();
        }
    }

    private static void removeMatching(Path folder, String glob, Predicate<Path> which, List<Path> removed) {
        if (!Files.isDirectory(folder)) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, glob)) {
            for (Path file : files) {
                if (Files.isRegularFile(file) && which.test(file)) {
                    delete(file, removed);
                }
            }
        } catch (IOException e) {
            LOG.warn("could not look for leftovers in {}: {}", folder, e.getMessage());
        }
    }

    private static void delete(Path file, List<Path> removed) {
        try {
            Files.delete(file);
            removed.add(file);
        } catch (IOException e) {
            LOG.warn("could not remove the leftover {}: {}", file, e.getMessage());
        }
    }
}
