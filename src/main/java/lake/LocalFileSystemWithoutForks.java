package lake;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;

import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsAction;
import org.apache.hadoop.fs.permission.FsPermission;

/**
 * Hadoop's local file system (checksums and all) with permissions set through {@code java.nio}. Hadoop's own sets the
 * permission of every file and folder it creates by running {@code chmod} in a child process when its native library
 * is absent, as it is here: a dozen processes per table created and per commit, 15-20 ms each. Where the file system
 * has no POSIX permissions, Hadoop's way is kept.
 */
public final class LocalFileSystemWithoutForks extends LocalFileSystem {

    public LocalFileSystemWithoutForks() {
        super(new NioPermissions());
    }

    static final class NioPermissions extends RawLocalFileSystem {

        @Override
        public void setPermission(Path path, FsPermission permission) throws IOException {
            try {
                Files.setPosixFilePermissions(pathToFile(path).toPath(), posix(permission));
            } catch (UnsupportedOperationException e) {
                super.setPermission(path, permission);
            }
        }
    }

    static Set<PosixFilePermission> posix(FsPermission permission) {
        Set<PosixFilePermission> posix = EnumSet.noneOf(PosixFilePermission.class);
        add(posix, permission.getUserAction(), PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                PosixFilePermission.OWNER_EXECUTE);
        add(posix, permission.getGroupAction(), PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
                PosixFilePermission.GROUP_EXECUTE);
        add(posix, permission.getOtherAction(), PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE,
                PosixFilePermission.OTHERS_EXECUTE);
        return posix;
    }

    private static void add(Set<PosixFilePermission> posix, FsAction action, PosixFilePermission read,
                            PosixFilePermission write, PosixFilePermission execute) {
        if (action.implies(FsAction.READ)) {
            posix.add(read);
        }
        if (action.implies(FsAction.WRITE)) {
            posix.add(write);
        }
        if (action.implies(FsAction.EXECUTE)) {
            posix.add(execute);
        }
    }
}
