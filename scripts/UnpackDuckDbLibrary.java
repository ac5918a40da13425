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
import java.util.Locale;
import java.util.Map;

/**
 * Run by {@code mvn package} on the copy of DuckDB's JDBC jar in {@code target/lib}
 * ({@code java scripts/UnpackDuckDbLibrary.java target/lib/duckdb_jdbc-<version>.jar}): unpacks this platform's native
 * library next to the jar, under the name the driver looks for there, and takes every platform's library (250 MB) out
 * of that copy. The driver loads a library it finds beside its jar when the jar has none; otherwise it unpacks its
 * 57 MB into a temporary file at every start (0.25 s of CPU). Run again, it finds the jar done and leaves it; on a
 * platform DuckDB has no library for, it leaves the jar whole.
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
        String name = PREFIX + platform();
        Path library = lib.resolve(name);
        try (FileSystem zip = FileSystems.newFileSystem(URI.create("jar:" + jar.toUri()), Map.of())) {
            List<Path> libraries = new ArrayList<>();
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(zip.getPath("/"), PREFIX + "*")) {
                entries.forEach(libraries::add);
            }
            if (libraries.isEmpty()) {
                if (!Files.isRegularFile(library)) {
                    fail(jar + " has no native library and " + library + " is missing: delete " + jar
                            + " and build again");
                }
                System.out.println("UnpackDuckDbLibrary: " + library + " (already unpacked)");
                return;
            }
            Path entry = zip.getPath("/" + name);
            if (!Files.exists(entry)) {
                System.out.println("UnpackDuckDbLibrary: " + jar + " has no " + name
                        + "; left whole (the driver unpacks its library at each start)");
                return;
            }
            Path partial = lib.resolve(name + ".part");
            Files.copy(entry, partial, StandardCopyOption.REPLACE_EXISTING);
            Files.move(partial, library, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            for (Path each : libraries) {
                Files.delete(each);
            }
        }
        System.out.println("UnpackDuckDbLibrary: " + library + " (" + Files.size(library) / (1 << 20) + " MB), "
                + jar.getFileName() + " now " + Files.size(jar) / 1024 + " KB");
    }

    /** As the driver names it: linux_amd64, linux_arm64, osx_universal, windows_amd64. */
    private static String platform() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT).trim();
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT).trim();
        os = os.startsWith("windows") ? "windows" : os.startsWith("mac") ? "osx" : os;
        if (os.equals("osx")) {
            return "osx_universal";
        }
        arch = switch (arch) {
            case "x86_64", "amd64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            default -> arch;
        };
        return os + "_" + arch;
    }

    private static void fail(String message) {
        System.err.println("UnpackDuckDbLibrary: " + message);
        System.exit(1);
    }
}
