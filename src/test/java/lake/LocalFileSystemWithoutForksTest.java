package lake;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import config.TableConfig;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.iceberg.hadoop.HadoopCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/**
 * The warehouse's file system gives files and folders the permissions Hadoop asks for, set through java.nio instead
 * of a chmod process each; it is the one a catalog of a local warehouse gets.
 */
class LocalFileSystemWithoutForksTest {

    @TempDir
    Path dir;

    @Test
    void filesAndFoldersGetTheRequestedPermissions() throws Exception {
        try (FileSystem fs = new LocalFileSystemWithoutForks()) {
            fs.initialize(URI.create("file:///"), new Configuration(false));
            org.apache.hadoop.fs.Path folder = new org.apache.hadoop.fs.Path(dir.resolve("a/b").toUri());
            fs.mkdirs(folder, new FsPermission((short) 0750));
            org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(folder, "v1.metadata.json");
            try (FSDataOutputStream out = fs.create(file, new FsPermission((short) 0640), true, 4096, (short) 1,
                    1 << 20, null)) {
                out.writeBytes("{}");
            }

            assertEquals("rwxr-x---", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("a/b"))));
            assertEquals("rw-r-----", PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(dir.resolve("a/b/v1.metadata.json"))));
            assertEquals("{}", Files.readString(dir.resolve("a/b/v1.metadata.json")));

            fs.setPermission(file, new FsPermission((short) 0604));
            assertEquals("rw----r--", PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(dir.resolve("a/b/v1.metadata.json"))));
        }
    }

    @Test
    void aCatalogOfALocalWarehouseWritesThroughIt() throws Exception {
        TableConfig table = new TableConfig(TableConfig.Catalog.HADOOP, dir.resolve("warehouse"), null, "data",
                "products", TableConfig.Mode.APPEND, TableConfig.SchemaEvolution.NONE);
        try (IcebergTables tables = IcebergTables.open(table)) {
            HadoopCatalog catalog = (HadoopCatalog) tables.catalog();
            FileSystem fs = new org.apache.hadoop.fs.Path(dir.resolve("warehouse").toUri())
                    .getFileSystem(catalog.getConf());
            assertInstanceOf(LocalFileSystemWithoutForks.class, fs);
        }
    }
}
