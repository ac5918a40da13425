package lake;

import java.util.List;
import java.util.stream.LongStream;

import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.BaseDeleteLoader;
import org.apache.iceberg.data.DeleteLoader;
import org.apache.iceberg.deletes.PositionDeleteIndex;

/**
 * The rows a table's position delete files take out of its data files, read with Iceberg's own loader, and as the
 * ascending positions {@link ParquetCopy} leaves out of a copy.
 */
final class PositionDeletes {

    private final DeleteLoader loader;

    PositionDeletes(Table table) {
        this.loader = new BaseDeleteLoader(delete -> table.io().newInputFile(delete));
    }

    /** The rows of the data file {@code dataFile} that {@code deletes} (a scan task's) take out; none for none. */
    PositionDeleteIndex of(String dataFile, List<DeleteFile> deletes) {
        return deletes.isEmpty() ? PositionDeleteIndex.empty() : loader.loadPositionDeletes(deletes, dataFile);
    }

    /** The positions of {@code deleted} and {@code more}, ascending, each once. */
    static long[] ascending(PositionDeleteIndex deleted, long... more) {
        LongStream.Builder all = LongStream.builder();
        for (long row : more) {
            all.add(row);
        }
        deleted.forEach(all::add);
        return all.build().sorted().distinct().toArray();
    }
}
