package ui;

import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

import core.DataDirLayout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import run.PipelineRun;
import run.RunHistory;
import run.RunHistory.Entry;

/**
 * Every run report of the data dir, read once (at start, on a thread of its own) and kept up to date as runs end (the
 * reporter tells it, with the run as written): the pages and the API list runs from here, newest first, and never
 * read a report file to do so.
 */
public final class RunIndex {

    private static final Logger LOG = LoggerFactory.getLogger(RunIndex.class);

    /** Newest first; two runs that started in the same instant by id, the greater first. */
    private record Key(Instant started, String runId) implements Comparable<Key> {

        private static final Comparator<Key> NEWEST_FIRST = Comparator.comparing(Key::started).reversed()
                .thenComparing(Key::runId, Comparator.reverseOrder());

        @Override
        public int compareTo(Key other) {
            return NEWEST_FIRST.compare(this, other);
        }
    }

    /** One page of runs and how many runs the filter matches in all. */
    public record Page(List<Entry> runs, int matching) {
    }

    private final Path dataDir;
    private final ConcurrentSkipListMap<Key, Entry> newestFirst = new ConcurrentSkipListMap<>();
    private final Map<String, Entry> byId = new ConcurrentHashMap<>();
    private final AtomicLong revision = new AtomicLong();
    private volatile boolean loaded;
    private volatile int unreadable;

    public RunIndex(Path dataDir) {
        this.dataDir = dataDir;
    }

    /** Reads every report; a run that ended meanwhile is in already, and stays as it was told. */
    public void load() {
        long started = System.nanoTime();
        try {
            RunHistory.Listing all = RunHistory.all(dataDir);
            all.runs().forEach(entry -> put(entry, false));
            unreadable = all.unreadable().size();
            all.unreadable().forEach(problem -> LOG.warn("The web UI leaves out a report: {}", problem));
            LOG.info("Indexed {} run reports of {} in {} ms", all.runs().size(), DataDirLayout.runs(dataDir),
                    (System.nanoTime() - started) / 1_000_000);
        } catch (Exception e) {
            LOG.warn("Could not read the run reports of {}: {}", DataDirLayout.runs(dataDir), e.getMessage());
        } finally {
            loaded = true;
            revision.incrementAndGet();
        }
    }

    /** A run has ended: its report is written. */
    public void finished(PipelineRun run) {
        put(Entry.of(run), true);
    }

    private void put(Entry entry, boolean replace) {
        Instant started;
        try {
            started = entry.started();
        } catch (DateTimeParseException e) {
            return;
        }
        Key key = new Key(started, entry.runId());
        if (replace) {
            newestFirst.put(key, entry);
            byId.put(entry.runId(), entry);
        } else if (newestFirst.putIfAbsent(key, entry) == null) {
            byId.putIfAbsent(entry.runId(), entry);
        }
        revision.incrementAndGet();
    }

    /** The runs {@code filter} accepts, {@code limit} of them from the {@code offset}-th. */
    public Page page(Predicate<Entry> filter, int offset, int limit) {
        List<Entry> runs = new ArrayList<>(Math.min(limit, 1000));
        int matching = 0;
        for (Entry entry : newestFirst.values()) {
            if (filter.test(entry)) {
                if (matching >= offset && runs.size() < limit) {
                    runs.add(entry);
                }
                matching++;
            }
        }
        return new Page(runs, matching);
    }

    public Optional<Entry> get(String runId) {
        return Optional.ofNullable(byId.get(runId));
    }

    /** Grows with every change: whoever shows the runs looks again when it has moved. */
    public long revision() {
        return revision.get();
    }

    /** False until every report has been read once. */
    public boolean loaded() {
        return loaded;
    }

    /** How many report files could not be read (each named in the log). */
    public int unreadable() {
        return unreadable;
    }

    public int size() {
        return byId.size();
    }
}
