package core;

import java.nio.file.Path;
import java.util.List;

/**
 * What one conversion did; set as the exchange property {@link #PROPERTY}.
 *
 * @param rowsRead     data rows read (the header not included)
 * @param rowsWritten  rows written to the Parquet file
 * @param rowsRejected rows written to the rejects file instead
 * @param parquetFile  the Parquet file
 * @param rejectsFile  the rejects CSV, or {@code null} when no row was rejected
 * @param parquetBytes size of the Parquet file
 * @param warnings     what the run should say about its input without failing (a nullable column the CSV lacks)
 * @param compression  how the input was compressed ({@code gzip}, {@code zstd}, {@code bzip2}); null for plain CSV
 * @param csvBytes     the bytes of CSV a compressed input held, decompressed; null for plain CSV
 * @param rowLines     the CSV line each row of the Parquet file starts on
 */
public record ConversionResult(long rowsRead, long rowsWritten, long rowsRejected, Path parquetFile, Path rejectsFile,
                               long parquetBytes, List<String> warnings, String compression, Long csvBytes,
                               RowLines rowLines) {

    public static final String PROPERTY = "pipelineConversion";

    public ConversionResult {
        warnings = List.copyOf(warnings);
    }

    /** A CSV of one line a row ({@link RowLines#oneLineEach}), compressed as {@code compression} says. */
    public ConversionResult(long rowsRead, long rowsWritten, long rowsRejected, Path parquetFile, Path rejectsFile,
                            long parquetBytes, List<String> warnings, String compression, Long csvBytes) {
        this(rowsRead, rowsWritten, rowsRejected, parquetFile, rejectsFile, parquetBytes, warnings, compression,
                csvBytes, RowLines.oneLineEach());
    }

    /** A plain CSV of one line a row ({@link RowLines#oneLineEach}). */
    public ConversionResult(long rowsRead, long rowsWritten, long rowsRejected, Path parquetFile, Path rejectsFile,
                            long parquetBytes, List<String> warnings) {
        this(rowsRead, rowsWritten, rowsRejected, parquetFile, rejectsFile, parquetBytes, warnings, null, null,
                RowLines.oneLineEach());
    }

    public ConversionResult(long rowsRead, long rowsWritten, long rowsRejected, Path parquetFile, Path rejectsFile,
                            long parquetBytes) {
        this(rowsRead, rowsWritten, rowsRejected, parquetFile, rejectsFile, parquetBytes, List.of());
    }
}
