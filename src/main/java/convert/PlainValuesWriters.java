package convert;

import java.util.Arrays;

import org.apache.parquet.bytes.ByteBufferAllocator;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.column.values.ValuesWriter;
import org.apache.parquet.column.values.dictionary.DictionaryValuesWriter;
import org.apache.parquet.column.values.factory.DefaultV1ValuesWriterFactory;
import org.apache.parquet.column.values.factory.ValuesWriterFactory;
import org.apache.parquet.column.values.fallback.FallbackValuesWriter;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;

/**
 * Parquet's version 1 values writers, as {@link DefaultV1ValuesWriterFactory} makes them (a dictionary first, falling
 * back to PLAIN), writing the same bytes in fewer steps: {@link PlainValuesBuffer} as the PLAIN writer of numbers and
 * byte arrays, and a dictionary of byte arrays that knows {@link DistinctValues}' instances. Booleans, fixed-length
 * byte arrays and byte-stream-split columns get the default writers.
 */
final class PlainValuesWriters implements ValuesWriterFactory {

    private final DefaultV1ValuesWriterFactory defaults = new DefaultV1ValuesWriterFactory();
    private ParquetProperties properties;

    @Override
    public void initialize(ParquetProperties properties) {
        this.properties = properties;
        defaults.initialize(properties);
    }

    @Override
    public ValuesWriter newValuesWriter(ColumnDescriptor column) {
        PrimitiveTypeName type = column.getType();
        boolean plain = type == PrimitiveTypeName.BINARY || type == PrimitiveTypeName.INT32
                || type == PrimitiveTypeName.INT64 || type == PrimitiveTypeName.FLOAT
                || type == PrimitiveTypeName.DOUBLE;
        if (!plain || properties.isByteStreamSplitEnabled(column)) {
            return defaults.newValuesWriter(column);
        }
        PlainValuesBuffer values = new PlainValuesBuffer(properties.getInitialSlabSize());
        return properties.isDictionaryEnabled(column) ? FallbackValuesWriter.of(dictionary(type), values) : values;
    }

    private DictionaryValuesWriter dictionary(PrimitiveTypeName type) {
        int maxBytes = properties.getDictionaryPageSizeThreshold();
        Encoding encoding = Encoding.PLAIN_DICTIONARY;
        ByteBufferAllocator allocator = properties.getAllocator();
        return switch (type) {
            case BINARY -> new KnownInstances(maxBytes, encoding, allocator);
            case INT32 -> new DictionaryValuesWriter.PlainIntegerDictionaryValuesWriter(maxBytes, encoding, encoding,
                    allocator);
            case INT64 -> new DictionaryValuesWriter.PlainLongDictionaryValuesWriter(maxBytes, encoding, encoding,
                    allocator);
            case FLOAT -> new DictionaryValuesWriter.PlainFloatDictionaryValuesWriter(maxBytes, encoding, encoding,
                    allocator);
            case DOUBLE -> new DictionaryValuesWriter.PlainDoubleDictionaryValuesWriter(maxBytes, encoding, encoding,
                    allocator);
            default -> throw new IllegalArgumentException("no PLAIN dictionary here for " + type);
        };
    }

    /**
     * Parquet's dictionary of byte arrays, but a constant {@link Binary} it has seen (from {@link DistinctValues}) is
     * found by its instance among the first {@link DistinctValues#MAX} it kept, before any hashing.
     */
    static final class KnownInstances extends DictionaryValuesWriter.PlainBinaryDictionaryValuesWriter {

        private final Binary[] known = new Binary[DistinctValues.MAX];
        private final int[] ids = new int[DistinctValues.MAX];
        private int count;

        KnownInstances(int maxDictionaryBytes, Encoding encoding, ByteBufferAllocator allocator) {
            super(maxDictionaryBytes, encoding, encoding, allocator);
        }

        @Override
        public void writeBytes(Binary v) {
            if (v.isBackingBytesReused()) {
                super.writeBytes(v);
                return;
            }
            Binary[] k = known;
            for (int i = 0, n = count; i < n; i++) {
                if (k[i] == v) {
                    encodedValues.add(ids[i]);
                    return;
                }
            }
            super.writeBytes(v);
            if (count < k.length) {
                k[count] = v;
                ids[count++] = binaryDictionaryContent.getInt(v);
            }
        }

        @Override
        protected void clearDictionaryContent() {
            super.clearDictionaryContent();
            Arrays.fill(known, null);
            count = 0;
        }
    }
}
