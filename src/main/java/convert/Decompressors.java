package convert;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The decompressor of each compression a CSV may come in, as a stream over the file's bytes: gzip by the JDK (several
 * members, as pigz and bgzip write, read as one), zstd by zstd-jni's native library, or, where it cannot load, by
 * aircompressor's pure-Java decoder (about half as fast, measured), bzip2 by commons-compress.
 */
final class Decompressors {

    private static final Logger LOG = LoggerFactory.getLogger(Decompressors.class);
    private static final int BUFFER = 1 << 16;
    private static volatile Boolean zstdNative;

    private Decompressors() {
    }

    static InputStream open(CsvBytes.Compression compression, InputStream stored) throws IOException {
        return switch (compression) {
            case NONE -> stored;
            case GZIP -> new GZIPInputStream(stored, BUFFER);
            case ZSTD -> zstdNativeLoads() ? new ZstdInputStreamNoFinalizer(stored) : pureJavaZstd(stored);
            case BZIP2 -> new BZip2CompressorInputStream(new BufferedInputStream(stored, BUFFER), true);
        };
    }

    /** The zstd decoder that needs no native library. */
    static InputStream pureJavaZstd(InputStream stored) {
        return new io.airlift.compress.zstd.ZstdInputStream(stored);
    }

    /** Whether zstd-jni's native library loads on this platform; asked once. */
    static boolean zstdNativeLoads() {
        Boolean loads = zstdNative;
        if (loads == null) {
            try {
                com.github.luben.zstd.util.Native.load();
                loads = true;
            } catch (LinkageError | RuntimeException e) {
                LOG.info("zstd-jni's native library does not load here ({}): zstd input is read by aircompressor's"
                         + " pure-Java decoder", e.toString());
                loads = false;
            }
            zstdNative = loads;
        }
        return loads;
    }
}
