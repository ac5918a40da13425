package app;

import java.net.URI;
import java.net.URL;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.duckdb.DuckDBDriver;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged app's {@code target/lib} holds DuckDB's native library of every platform the published driver jar has,
 * each beside the driver's jar under the name the driver loads it by, and that copy of the jar holds none: a
 * {@code target/} built on one platform runs on the others (the launcher's run on this one is
 * {@link LauncherRunsTheSampleAndListsItIT}'s).
 */
class PackagedDuckDbRunsOnEveryPlatformIT {

    private static final String PREFIX = "libduckdb_java.so_";

    @Test
    void everyPlatformsLibraryIsBesideTheDriversJar() throws Exception {
        Path lib = Path.of("target", "lib").toAbsolutePath();
        Path published = publishedDriverJar(lib);
        Map<String, Long> libraries = libraries(published);
        assertTrue(libraries.size() >= 2, "the published driver holds several platforms' libraries: " + libraries);

        Path packaged = lib.resolve(published.getFileName());
        assertTrue(Files.isRegularFile(packaged), packaged + " (run after mvn package)");
        assertEquals(Map.of(), libraries(packaged), "the packaged driver jar holds no library");
        Map<String, Long> beside = new TreeMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(lib, PREFIX + "*")) {
            for (Path file : files) {
                beside.put(file.getFileName().toString(), Files.size(file));
            }
        }
        assertEquals(libraries, beside, "every platform's library beside " + packaged);
        List<String> partial = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(lib, "*.part")) {
            files.forEach(file -> partial.add(file.toString()));
        }
        assertTrue(partial.isEmpty(), "half-copied files: " + partial);
    }

    /** The driver's jar as Maven resolved it (the test class path has it, and may have the packaged copy too). */
    private static Path publishedDriverJar(Path lib) throws Exception {
        String driver = DuckDBDriver.class.getName().replace('.', '/') + ".class";
        for (URL url : Collections.list(DuckDBDriver.class.getClassLoader().getResources(driver))) {
            String jar = url.toString();
            if (jar.startsWith("jar:file:")) {
                Path path = Path.of(URI.create(jar.substring("jar:".length(), jar.indexOf("!/"))));
                if (!path.getParent().equals(lib)) {
                    return path;
                }
            }
        }
        throw new AssertionError("no published " + driver + " on the test class path");
    }

    /** The native libraries in a jar, by name, with their sizes. */
    private static Map<String, Long> libraries(Path jar) throws Exception {
        Map<String, Long> found = new TreeMap<>();
        try (FileSystem zip = FileSystems.newFileSystem(URI.create("jar:" + jar.toUri()), Map.of());
             DirectoryStream<Path> entries = Files.newDirectoryStream(zip.getPath("/"), PREFIX + "*")) {
            for (Path entry : entries) {
                found.put(entry.getFileName().toString(), Files.size(entry));
            }
        }
        return found;
    }
}
