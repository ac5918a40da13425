package core;

import java.nio.file.Path;

/**
 * A run whose CSV the Spark job converts ({@code pipeline.convert.on}), set as the exchange property {@link #PROPERTY}
 * by the convert stage in place of a {@link ConversionResult}: the input is uploaded as received, with the convert spec
 * beside it, and the job reports the rows it read and rejected.
 *
 * @param input     the CSV as received (compressed or not)
 * @param spec      the convert spec (JSON) written for the job: the schema and every rule the app's convert reads by
 * @param extension the ending of the uploaded input's key, by which Spark tells its compression ({@code .csv.gz})
 */
public record SparkConversion(Path input, Path spec, String extension) {

    public static final String PROPERTY = "pipelineSparkConversion";
    /** The ending of the convert spec's key, beside the input's. */
    public static final String SPEC = ".convert.json";
    /** The ending of the rejects CSV's key, beside the input's, as beside the app's Parquet. */
    public static final String REJECTS = ".rejects.csv";

    /** The key or URI beside {@code uploaded} (the input's) that ends with {@code ending} in place of its extension. */
    public String beside(String uploaded, String ending) {
        if (!uploaded.endsWith(extension)) {
            throw new IllegalArgumentException(uploaded + " does not end with " + extension);
        }
        return uploaded.substring(0, uploaded.length() - extension.length()) + ending;
    }
}
