package query;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The results files of {@code pipeline.query.resultsDir}, {@code <runId>.csv}: their names, and their rotation, the
 * newest {@code pipeline.query.keepResults} kept. Only files named as a run's results are ever removed: the folder may
 * hold anything else of the user's.
 */
public final class ResultsFiles {

    private static final Logger LOG = LoggerFactory.getLogger(ResultsFiles.class);
    /** {@code 20250101-120000-1a2b.csv}: a run id (see run.PipelineRun), then .csv. */
    private static final Pattern RUN_RESULTS = Pattern.compile("[0-9]{8}-[0-9]{6}-[0-9a-f]{4}\\.csv");

    private ResultsFiles() {
    }

    /** The results file's name of the run {@code runId}. */
    public static String name(String runId) {
        return runId.replaceAll("[^A-Za-z0-9_.-]", "_") + ".csv";
    }

    /**
     * Removes the oldest results files of {@code dir} beyond the newest {@code keep}; 0 keeps every one. The newest are
     * the last written; {@code justWritten}, the file of the run that asks, is kept whatever the clock says.
     */
    public static List<Path> keepNewest(Path dir, int keep, Path justWritten) {
        if (keep <= 0 || !Files.isDirectory(dir)) {
            return List.of();
        }
        List<Written> files = new ArrayList<>();
        try (DirectoryStream<Path> listed = Files.newDirectoryStream(dir)) {
            for (Path file : listed) {
                if (RUN_RESULTS.matcher(file.getFileName().toString()).matches()
                    && Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                    files.add(new Written(file, file.equals(justWritten) ? Long.MAX_VALUE : modified(file)));
                }
            }
        } catch (IOException e) {
            LOG.warn("Could not list the results files of {}: {}", dir, e.getMessage());
            return List.of();
        }
        if (files.size() <= keep) {
            return List.of();
        }
        // not by name: a run id starts with its start time, but only to the second, and runs end in another order
        files.sort(Comparator.comparingLong(Written::modified).thenComparing(w -> w.file().getFileName()));
        List<Path> removed = new ArrayList<>();
        for (Written written : files.subList(0, files.size() - keep)) {
            Path file = written.file();
            try {
                Files.deleteIfExists(file);
                removed.add(file);
            } catch (IOException e) {
                LOG.warn("Could not remove the old results file {}: {}", file, e.getMessage());
            }
        }
        LOG.debug("Removed {} results file(s) beyond pipeline.query.keepResults={}: {}", removed.size(), keep, removed);
        return removed;
    }

    private static long modified(Path file) {
        try {
            return Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS).toMillis();
        } catch (IOException e) {
            return Long.MIN_VALUE; // gone or unreadable: first to go
        }
    }

    private record Written(Path file, long modified) {
    }
}
