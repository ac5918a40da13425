package lake;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.ManifestFiles;
import org.apache.iceberg.PartitionStatisticsFile;
import org.apache.iceberg.ReachableFileUtil;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.io.CloseableIterable;

/**
 * Every file a table still needs: the current metadata file and those its log keeps, the version hint, statistics,
 * and for each snapshot still there its manifest list, its manifests, and the data and delete files they list as live.
 * A file of the table's location that is none of these belongs to no snapshot: an expired snapshot's, a killed
 * load's, a compaction's that failed. A manifest is read once however many snapshots list it (manifests never change).
 */
final class ReferencedFiles {

    private final Set<String> locations;

    private ReferencedFiles(Set<String> locations) {
        this.locations = locations;
    }

    static ReferencedFiles of(Table table) {
        Set<String> files = new HashSet<>();
        ReachableFileUtil.metadataFileLocations(table, false).forEach(location -> files.add(normalize(location)));
        files.add(normalize(ReachableFileUtil.versionHintLocation(table)));
        ReachableFileUtil.statisticsFilesLocations(table).forEach(location -> files.add(normalize(location)));
        for (PartitionStatisticsFile statistics : table.partitionStatisticsFiles()) {
            files.add(normalize(statistics.path()));
        }
        files.addAll(ofSnapshots(table, table.snapshots()).keySet());
        return new ReferencedFiles(files);
    }

    /**
     * The files {@code snapshots} reference (their manifest lists, manifests, and the data and delete files live in
     * them), each as {@link #normalize} writes it and as the table wrote it.
     */
    static Map<String, String> ofSnapshots(Table table, Iterable<Snapshot> snapshots) {
        Map<String, String> files = new HashMap<>();
        Set<String> manifests = new HashSet<>();
        for (Snapshot snapshot : snapshots) {
            add(files, snapshot.manifestListLocation());
            for (ManifestFile manifest : snapshot.allManifests(table.io())) {
                if (!manifests.add(manifest.path())) {
                    continue;
                }
                add(files, manifest.path());
                switch (manifest.content()) {
                    case DATA -> addAll(files, ManifestFiles.readPaths(manifest, table.io()));
                    case DELETES -> addAll(files, CloseableIterable.transform(
                            ManifestFiles.readDeleteManifest(manifest, table.io(), table.specs()),
                            DeleteFile::location));
                }
            }
        }
        return files;
    }

    /** Whether {@code location} is a file the table needs, whichever way it is written ({@code file:/x} or {@code /x}). */
    boolean contains(String location) {
        return locations.contains(normalize(location));
    }

    private static void add(Map<String, String> files, String location) {
        files.put(normalize(location), location);
    }

    private static void addAll(Map<String, String> files, CloseableIterable<String> locations) {
        try (locations) {
            locations.forEach(location -> add(files, location));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read a manifest", e);
        }
    }

    /** A local file as its path ({@code file:/x}, {@code file:///x} and {@code /x} alike); other locations as they are. */
    static String normalize(String location) {
        if (location.startsWith("file:")) {
            return Path.of(URI.create(location)).normalize().toString();
        }
        return location.startsWith("/") ? Path.of(location).normalize().toString() : location;
    }
}
