package lake;

import java.util.List;

import org.apache.iceberg.Schema;

/**
 * The files of a table's current snapshot, as Iceberg's scan planning lists them.
 *
 * @param snapshotId  the current snapshot, {@link #NO_SNAPSHOT} for a table never written
 * @param dataFiles   data file locations as the manifests record them ({@code file:/...}, {@code /...}, {@code s3://})
 * @param deleteFiles row-level delete files that apply to those data files, position and equality deletes alike
 * @param equalityDeleteFiles those of {@code deleteFiles} that delete rows by value (equality deletes), not by position
 */
public record SnapshotFiles(String table, Schema schema, long snapshotId, List<String> dataFiles,
                            List<String> deleteFiles, List<String> equalityDeleteFiles) {

    public static final long NO_SNAPSHOT = -1;

    public SnapshotFiles {
        dataFiles = List.copyOf(dataFiles);
        deleteFiles = List.copyOf(deleteFiles);
        equalityDeleteFiles = List.copyOf(equalityDeleteFiles);
    }
}
