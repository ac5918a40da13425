package lake;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;

import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.column.ColumnWriteStore;
import org.apache.parquet.column.ColumnWriter;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.column.impl.ColumnReadStoreImpl;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.CodecFactory;
import org.apache.parquet.hadoop.ColumnChunkPageWriteStore;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.metadata.FileMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.SeekableInputStream;
import org.apache.parquet.io.api.Converter;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.schema.MessageType;

/**
 * Copies a Parquet file without some of its rows (the copy-on-write of a merge, the position deletes a compaction
 * applies): a row group that loses no row is copied byte for byte, one that loses all is left out, and only the others
 * are written again, value by value from each column's reader to its writer, nothing decoded into records. The copy has
 * the file's schema (its field ids), codec and footer metadata.
 */
final class ParquetCopy {

    private static final int PAGE_SIZE = 1 << 20;
    private static final ParquetReadOptions OPTIONS =
            ParquetReadOptions.builder(new PlainParquetConfiguration()).build();
    private static final ParquetProperties PROPERTIES = ParquetProperties.builder().withPageSize(PAGE_SIZE).build();

    private ParquetCopy() {
    }

    /** What was written: the copy's footer (its metrics) and its size. */
    record Written(ParquetMetadata footer, long bytes, long rows) {
    }

    /** Writes {@code input} to {@code output} without the rows {@code removed} (0-based positions, ascending). */
    static Written withoutRows(InputFile input, OutputFile output, long[] removed) throws IOException {
        try (ParquetFileReader reader = ParquetFileReader.open(input, OPTIONS);
             SeekableInputStream raw = input.newStream()) {
            FileMetaData meta = reader.getFooter().getFileMetaData();
            List<BlockMetaData> groups = reader.getRowGroups();
            long largest = groups.stream().mapToLong(BlockMetaData::getTotalByteSize).max().orElse(0);
            ParquetFileWriter writer = new ParquetFileWriter(output, meta.getSchema(), ParquetFileWriter.Mode.CREATE,
                    Math.max(largest, PAGE_SIZE), 0, null, PROPERTIES);
            boolean ended = false;
            try {
                writer.start();
                long kept = append(input, reader, raw, writer, removed);
                writer.end(meta.getKeyValueMetaData());
                ended = true;
                return new Written(writer.getFooter(), writer.getPos(), kept);
            } finally {
                if (!ended) {
                    writer.close();
                }
            }
        }
    }

    /**
     * Appends the row groups of {@code input} to {@code writer}, a started file of the same schema, without the rows
     * {@code removed} (0-based positions in {@code input}, ascending), as {@link #withoutRows} copies them; returns
     * the rows appended.
     */
    static long appendWithoutRows(InputFile input, ParquetFileWriter writer, long[] removed) throws IOException {
        try (ParquetFileReader reader = ParquetFileReader.open(input, OPTIONS);
             SeekableInputStream raw = input.newStream()) {
            return append(input, reader, raw, writer, removed);
        }
    }

    private static long append(InputFile input, ParquetFileReader reader, SeekableInputStream raw,
                               ParquetFileWriter writer, long[] removed) throws IOException {
        FileMetaData meta = reader.getFooter().getFileMetaData();
        if (removed.length > 0) {
            for (ColumnDescriptor column : meta.getSchema().getColumns()) {
                if (column.getMaxRepetitionLevel() > 0 || column.getPath().length > 1) {
                    throw new IllegalStateException(input + " has the nested column " + String.join(".",
                            column.getPath()) + "; rows are left out of files of flat columns only");
                }
            }
        }
        List<BlockMetaData> groups = reader.getRowGroups();
        CompressionCodecName codec = groups.isEmpty() || groups.get(0).getColumns().isEmpty()
                ? CompressionCodecName.SNAPPY : groups.get(0).getColumns().get(0).getCodec();
        CodecFactory codecs = new CodecFactory(new PlainParquetConfiguration(), PAGE_SIZE);
        try {
            long first = 0;
            long kept = 0;
            for (BlockMetaData group : groups) {
                long rows = group.getRowCount();
                int from = lowerBound(removed, first);
                int to = lowerBound(removed, first + rows);
                if (to == from) {
                    writer.appendRowGroup(raw, group, false);
                    reader.skipNextRowGroup();
                    kept += rows;
                } else if (to - from == rows) {
                    reader.skipNextRowGroup();
                } else {
                    kept += rewrite(reader.readNextRowGroup(), meta, writer, codecs.getCompressor(codec),
                            PROPERTIES, Arrays.copyOfRange(removed, from, to), first);
                }
                first += rows;
            }
            return kept;
        } finally {
            codecs.release();
        }
    }

    /** Writes the rows of a row group but those of {@code removed} (positions in the file) as a new row group. */
    private static long rewrite(PageReadStore pages, FileMetaData meta, ParquetFileWriter writer,
                                CodecFactory.BytesCompressor compressor, ParquetProperties properties, long[] removed,
                                long first) throws IOException {
        MessageType schema = meta.getSchema();
        ColumnReadStoreImpl reads = new ColumnReadStoreImpl(pages, new NoConversion(), schema, meta.getCreatedBy());
        List<ColumnDescriptor> columns = schema.getColumns();
        ColumnReader[] readers = new ColumnReader[columns.size()];
        ColumnChunkPageWriteStore pageStore = new ColumnChunkPageWriteStore(compressor, schema,
                properties.getAllocator(), properties.getColumnIndexTruncateLength(),
                properties.getPageWriteChecksumEnabled());
        ColumnWriteStore writes = properties.newColumnWriteStore(schema, pageStore, pageStore);
        ColumnWriter[] writers = new ColumnWriter[columns.size()];
        for (int c = 0; c < readers.length; c++) {
            readers[c] = reads.getColumnReader(columns.get(c));
            writers[c] = writes.getColumnWriter(columns.get(c));
        }
        long rows = pages.getRowCount();
        int next = 0;
        long kept = 0;
        for (long r = 0; r < rows; r++) {
            boolean drop = next < removed.length && removed[next] == first + r;
            if (drop) {
                next++;
                for (ColumnReader reader : readers) {
                    // a value must be read or skipped before the next; a null has none
                    if (reader.getCurrentDefinitionLevel() == reader.getDescriptor().getMaxDefinitionLevel()) {
                        reader.skip();
                    }
                    reader.consume();
                }
                continue;
            }
            for (int c = 0; c < readers.length; c++) {
                copyValue(readers[c], writers[c]);
            }
            writes.endRecord();
            kept++;
        }
        writer.startBlock(kept);
        writes.flush();
        pageStore.flushToFileWriter(writer);
        writer.endBlock();
        writes.close();
        pageStore.close();
        return kept;
    }

    private static void copyValue(ColumnReader reader, ColumnWriter writer) {
        int definition = reader.getCurrentDefinitionLevel();
        if (definition < reader.getDescriptor().getMaxDefinitionLevel()) {
            writer.writeNull(0, definition);
        } else {
            switch (reader.getDescriptor().getPrimitiveType().getPrimitiveTypeName()) {
                case BOOLEAN -> writer.write(reader.getBoolean(), 0, definition);
                case INT32 -> writer.write(reader.getInteger(), 0, definition);
                case INT64 -> writer.write(reader.getLong(), 0, definition);
                case FLOAT -> writer.write(reader.getFloat(), 0, definition);
                case DOUBLE -> writer.write(reader.getDouble(), 0, definition);
                case BINARY, FIXED_LEN_BYTE_ARRAY, INT96 -> writer.write(reader.getBinary(), 0, definition);
            }
        }
        reader.consume();
    }

    /** The index of the first position in {@code sorted} that is at least {@code value}. */
    private static int lowerBound(long[] sorted, long value) {
        int at = Arrays.binarySearch(sorted, value);
        if (at < 0) {
            return -at - 1;
        }
        while (at > 0 && sorted[at - 1] == value) {
            at--;
        }
        return at;
    }

    /** Values are read with the column readers' getters: nothing is converted to records. */
    static final class NoConversion extends GroupConverter {

        @Override
        public Converter getConverter(int fieldIndex) {
            return new PrimitiveConverter() {
            };
        }

        @Override
        public void start() {
        }

        @Override
        public void end() {
        }
    }
}
