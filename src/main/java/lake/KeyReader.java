package lake;

import java.io.Closeable;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.column.impl.ColumnReadStoreImpl;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.ColumnPath;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

/**
 * Reads the key columns of a Parquet file (and a delete marker column), row by row, without reading any other column:
 * for each row its key's {@link KeyColumns.Fingerprint}, each key value in its canonical form, and the marker. Columns
 * are found by field id, or by name in a file without ids. A row group whose key statistics show it holds none of the
 * keys looked for is skipped unread.
 */
final class KeyReader implements Closeable {

    /** A key column's smallest and largest value in a row group or a data file, canonical; null when unknown. */
    record Range(Object min, Object max) {
    }

    private final ParquetFileReader reader;
    private final KeyColumns keys;
    private final MessageType file;
    private final ColumnDescriptor[] descriptors;
    private final ColumnDescriptor markerDescriptor;
    private final Predicate<Range[]> mayHold;
    private final KeyColumns.Fingerprint fingerprint;
    private final Object[] values;
    private ColumnReader[] readers;
    private ColumnReader markerReader;
    private int group = -1;
    private long remaining;
    private long nextRow;
    private long row = -1;
    private boolean nullKey;
    private boolean marker;

    private KeyReader(ParquetFileReader reader, KeyColumns keys, String markerColumn, Predicate<Range[]> mayHold) {
        this.reader = reader;
        this.keys = keys;
        this.file = reader.getFooter().getFileMetaData().getSchema();
        this.mayHold = mayHold;
        this.descriptors = new ColumnDescriptor[keys.size()];
        List<Type> requested = new ArrayList<>();
        for (int c = 0; c < keys.size(); c++) {
            descriptors[c] = find(keys.get(c).fieldId(), keys.get(c).name());
            if (descriptors[c] != null) {
                requested.add(file.getType(descriptors[c].getPath()[0]));
            }
        }
        this.markerDescriptor = markerColumn == null ? null : find(-1, markerColumn);
        if (markerDescriptor != null) {
            requested.add(file.getType(markerDescriptor.getPath()[0]));
        }
        reader.setRequestedSchema(new MessageType(file.getName(), requested));
        this.fingerprint = new KeyColumns.Fingerprint(keys.exact());
        this.values = new Object[keys.size()];
    }

    /**
     * Reads {@code input}'s key columns, and {@code markerColumn} (by name; null for none). {@code mayHold} is asked
     * about each row group's key ranges: a row group it answers false for is skipped.
     */
    static KeyReader open(InputFile input, KeyColumns keys, String markerColumn, Predicate<Range[]> mayHold)
            throws IOException {
        ParquetReadOptions options = ParquetReadOptions.builder(new PlainParquetConfiguration()).build();
        ParquetFileReader reader = ParquetFileReader.open(input, options);
        try {
            return new KeyReader(reader, keys, markerColumn, mayHold);
        } catch (RuntimeException e) {
            reader.close();
            throw e;
        }
    }

    /** Whether the file has every key column: one without them has no row with a key. */
    boolean hasKey() {
        for (ColumnDescriptor descriptor : descriptors) {
            if (descriptor == null) {
                return false;
            }
        }
        return true;
    }

    /** Moves to the next row of the row groups not skipped; false at the end. */
    boolean next() throws IOException {
        while (remaining == 0) {
            if (!nextRowGroup()) {
                return false;
            }
        }
        remaining--;
        row = nextRow++;
        readRow();
        return true;
    }

    /** The row's position in the file, 0-based, counting the rows of skipped row groups too. */
    long row() {
        return row;
    }

    /** The row has no value in a key column: no key, nothing it matches. */
    boolean nullKey() {
        return nullKey;
    }

    long hi() {
        return fingerprint.hi();
    }

    long lo() {
        return fingerprint.lo();
    }

    /** Key column {@code column}'s value in the row, canonical ({@link KeyColumns#canonical}); not a copy. */
    Object value(int column) {
        return values[column];
    }

    /** The row's delete marker: true deletes its key. */
    boolean marker() {
        return marker;
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }

    private boolean nextRowGroup() throws IOException {
        List<BlockMetaData> groups = reader.getRowGroups();
        while (++group < groups.size()) {
            BlockMetaData block = groups.get(group);
            if (!hasKey() || !mayHold.test(ranges(block))) {
                reader.skipNextRowGroup();
                nextRow += block.getRowCount();
                continue;
            }
            PageReadStore pages = reader.readNextRowGroup();
            ColumnReadStoreImpl store = new ColumnReadStoreImpl(pages, new ParquetCopy.NoConversion(), reader.getFooter()
                    .getFileMetaData().getSchema(), reader.getFooter().getFileMetaData().getCreatedBy());
            readers = new ColumnReader[descriptors.length];
            for (int c = 0; c < descriptors.length; c++) {
                readers[c] = store.getColumnReader(descriptors[c]);
            }
            markerReader = markerDescriptor == null ? null : store.getColumnReader(markerDescriptor);
            remaining = pages.getRowCount();
            return true;
        }
        return false;
    }

    private void readRow() {
        nullKey = false;
        fingerprint.start();
        for (int c = 0; c < readers.length; c++) {
            ColumnReader column = readers[c];
            if (column.getCurrentDefinitionLevel() < column.getDescriptor().getMaxDefinitionLevel()) {
                nullKey = true;
                column.consume();
                continue;
            }
            PrimitiveType type = column.getDescriptor().getPrimitiveType();
            switch (keys.get(c).kind()) {
                case WHOLE -> {
                    long value = whole(column, type);
                    values[c] = value;
                    fingerprint.addWhole(value);
                }
                case TEXT -> {
                    Binary value = column.getBinary();
                    byte[] bytes = value.getBytesUnsafe();
                    values[c] = bytes;
                    fingerprint.addBytes(bytes, 0, bytes.length);
                }
                case DECIMAL -> {
                    BigInteger value = decimal(column, type);
                    values[c] = value;
                    fingerprint.addDecimal(value);
                }
            }
            column.consume();
        }
        if (!nullKey) {
            fingerprint.finish();
        }
        if (markerReader != null) {
            boolean defined = markerReader.getCurrentDefinitionLevel()
                              == markerReader.getDescriptor().getMaxDefinitionLevel();
            marker = defined && markerReader.getBoolean();
            markerReader.consume();
        }
    }

    private static long whole(ColumnReader column, PrimitiveType type) {
        return switch (type.getPrimitiveTypeName()) {
            case BOOLEAN -> column.getBoolean() ? 1 : 0;
            case INT32 -> column.getInteger();
            case INT64 -> micros(column.getLong(), type);
            default -> throw new IllegalStateException("a key column stored as " + type + " is not a whole number");
        };
    }

    /** A timestamp in microseconds, as Iceberg's spec keeps it, whatever unit another writer stored it in. */
    private static long micros(long value, PrimitiveType type) {
        if (type.getLogicalTypeAnnotation() instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation ts) {
            return switch (ts.getUnit()) {
                case MILLIS -> value * 1000;
                case MICROS -> value;
                case NANOS -> Math.floorDiv(value, 1000);
            };
        }
        return value;
    }

    private static BigInteger decimal(ColumnReader column, PrimitiveType type) {
        return switch (type.getPrimitiveTypeName()) {
            case INT32 -> BigInteger.valueOf(column.getInteger());
            case INT64 -> BigInteger.valueOf(column.getLong());
            default -> new BigInteger(column.getBinary().getBytesUnsafe());
        };
    }

    /** Each key column's range in the row group by its statistics; a column without them: a null range. */
    private Range[] ranges(BlockMetaData block) {
        Range[] ranges = new Range[descriptors.length];
        for (ColumnChunkMetaData chunk : block.getColumns()) {
            for (int c = 0; c < descriptors.length; c++) {
                if (chunk.getPath().equals(ColumnPath.get(descriptors[c].getPath()))) {
                    ranges[c] = range(chunk.getStatistics(), descriptors[c].getPrimitiveType(), keys.get(c));
                }
            }
        }
        return ranges;
    }

    private static Range range(Statistics<?> stats, PrimitiveType type, KeyColumns.Column column) {
        if (stats == null || stats.isEmpty() || !stats.hasNonNullValue()) {
            return null;
        }
        return new Range(canonical(stats.genericGetMin(), type, column), canonical(stats.genericGetMax(), type, column));
    }

    private static Object canonical(Object stat, PrimitiveType type, KeyColumns.Column column) {
        return switch (column.kind()) {
            case WHOLE -> stat instanceof Boolean b ? (b ? 1L : 0L)
                    : type.getPrimitiveTypeName() == PrimitiveType.PrimitiveTypeName.INT64
                    ? micros((Long) stat, type) : ((Number) stat).longValue();
            case TEXT -> ((Binary) stat).getBytes();
            case DECIMAL -> stat instanceof Binary b ? new BigInteger(b.getBytes())
                    : BigInteger.valueOf(((Number) stat).longValue());
        };
    }

    /** The key column of field id {@code id} (or, in a file without ids, of {@code name}); null if it has none. */
    private ColumnDescriptor find(int id, String name) {
        for (ColumnDescriptor descriptor : file.getColumns()) {
            Type top = file.getType(descriptor.getPath()[0]);
            boolean byId = id >= 0 && top.getId() != null;
            if (descriptor.getPath().length == 1
                && (byId ? top.getId().intValue() == id : top.getName().equals(name))) {
                return descriptor;
            }
        }
        return null;
    }
}
