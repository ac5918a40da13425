import java.io.IOException;
import java.net.URI;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Run by {@code mvn package} on the copy of DuckDB's JDBC jar in {@code target/lib}
 * ({@code java scripts/UnpackDuckDbLibrary.java target/lib/duckdb_jdbc-<version>.jar}): unpacks every platform's
 * native library the jar holds next to it, under the name the driver looks for there
 * ({@code libduckdb_java.so_<os>_<arch>}), and takes them out of that copy, which is then the driver's "nolib" jar.
 * The driver loads a library beside its jar when its jar has none (its documented way for a nolib jar); otherwise it
 * unpacks its library into a temporary file at every start (0.25 s of CPU). So one {@code target/} runs on every
 * platform the driver supports. Run again, it finds the jar done and leaves it.
 */
public final class UnpackDuckDbLibrary {

    private static final String PREFIX = "libduckdb_java.so_";

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: java scripts/UnpackDuckDbLibrary.java <DuckDB's JDBC jar>");
            System.exit(2);
        }
        Path jar = Path.of(args[0]);
        if (!Files.isRegularFile(jar)) {
            fail(jar + " not found");
        }
        Path lib = jar.toAbsolutePath().getParent();
        List<String> unpacked = new ArrayList<>();
        try (FileSystem zip = FileSystems.newFileSystem(URI.create("jar:" + jar.toUri()), Map.of())) {
            List<Path> libraries = new ArrayList<>();
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(zip.getPath("/"), PREFIX + "*")) {
                entries.forEach(libraries::add);
            }
            if (libraries.isEmpty()) {
                try (DirectoryStream<Path> beside = Files.newDirectoryStream(lib, PREFIX + "*")) {
                    if (!beside.iterator().hasNext()) {
                        fail(jar + " has no native library and none is beside it: delete " + jar + " and build again");
                    }
                }
                System.out.println("UnpackDuckDbLibrary: " + jar.getFileName() + " done already");
                return;
            }
            for (Path entry : libraries) {
                String name = entry.getFileName().toString();
                Path partial = lib.resolve(name + ".part");
                Files.copy(entry, partial, StandardCopyOption.REPLACE_EXISTING);
                Files.move(partial, lib.resolve(name), StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
                unpacked.add(name + " (" + Files.size(lib.resolve(name)) / (1 << 20) + " MB)");
            }
            for (Path entry : libraries) {
                Files.delete(entry);
            }
        }
        System.out.println("UnpackDuckDbLibrary: " + String.join(", ", unpacked) + " in " + lib + "; "
                + jar.getFileName() + " now " + Files.size(jar) / 1024 + " KB");
    }

    private static void fail(String message) {
        System.err.println("UnpackDuckDbLibrary: " + message);
        System.exit(1);
    }
}
