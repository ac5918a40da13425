package support;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;

import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.io.CloseableIterable;

/**
 * A local table's files as its metadata names them and as its folder holds them, so that a test can say the folder
 * keeps exactly what the table needs after maintenance.
 */
public final class WarehouseFiles {

    private WarehouseFiles() {
    }

    /**
     * The files the table references: its metadata files (current and logged, and the version hint), and for every
     * snapshot its manifest list, manifests, data files and the delete files that apply to them.
     */
    public static Set<Path> referenced(Table table) throws IOException {
        Set<String> locations = new HashSet<>();
        TableMetadata metadata = ((HasTableOperations) table).operations().current();
        locations.add(metadata.metadataFileLocation());
        metadata.previousFiles().forEach(entry -> locations.add(entry.file()));
        for (Snapshot snapshot : table.snapshots()) {
            locations.add(snapshot.manifestListLocation());
            for (ManifestFile manifest : snapshot.allManifests(table.io())) {
                locations.add(manifest.path());
            }
            try (CloseableIterable<FileScanTask> tasks = table.newScan().useSnapshot(snapshot.snapshotId())
                    .planFiles()) {
                for (FileScanTask task : tasks) {
                    locations.add(task.file().location());
                    task.deletes().forEach(delete -> locations.add(delete.location()));
                }
            }
        }
        Set<Path> paths = new HashSet<>();
        locations.forEach(location -> paths.add(path(location)));
        Path hint = folder(table).resolve("metadata").resolve("version-hint.text");
        if (Files.exists(hint)) {
            paths.add(hint);
        }
        return paths;
    }

    /** The table's folder, whether its location is written {@code file:/x} or {@code /x}. */
    public static Path folder(Table table) {
        return path(table.location());
    }

    /** The files of the folder, a checksum file ({@code .x.crc}) left out when its file is there. */
    public static Set<Path> onDisk(Path folder) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            Set<Path> result = new HashSet<>();
            files.filter(Files::isRegularFile).forEach(result::add);
            result.removeIf(file -> {
                String name = file.getFileName().toString();
                return name.startsWith(".") && name.endsWith(".crc")
                       && result.contains(file.resolveSibling(name.substring(1, name.length() - 4)));
            });
            return result;
        }
    }

    private static Path path(String location) {
        return location.startsWith("file:") ? Path.of(URI.create(location)) : Path.of(location);
    }
}
