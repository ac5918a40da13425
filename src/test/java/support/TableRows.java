package support;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;

/** An Iceberg table's rows read back for a test, with Iceberg's own generic reader. */
public final class TableRows {

    private TableRows() {
    }

    /** Every row of the table's current snapshot. */
    public static List<Record> read(Table table) throws IOException {
        List<Record> rows = new ArrayList<>();
        try (CloseableIterable<Record> records = IcebergGenerics.read(table).build()) {
            records.forEach(r -> rows.add(r.copy()));
        }
        return rows;
    }

    /** The four product columns of every row as text, ordered by product_id: comparable with the sample's rows. */
    public static List<List<String>> productRows(Table table) throws IOException {
        return read(table).stream()
                .map(r -> ParquetFiles.productRow(r::getField))
                .sorted(Comparator.comparingInt(row -> Integer.parseInt(row.get(0))))
                .toList();
    }
}
