package config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import config.TableConfig.Mode;

/**
 * The Spark job that the engines emr and emr-serverless run alike: pyspark/load_to_iceberg.py uploaded to
 * {@code pipeline.emr.scriptUri}, its {@code --packages} and {@code --conf} ({@code pipeline.emr.*}), the S3 Tables
 * catalog of {@code pipeline.s3tables.tableBucketArn} and the table of {@code pipeline.table.*}.
 */
public record SparkJobConfig(
        String scriptUri,
        Path scriptPath,
        List<String> packages,
        Map<String, String> sparkConf,
        String catalogName,
        String tableBucketArn,
        String namespace,
        String table,
        Mode mode,
        MergeConfig merge,
        boolean reloadSameInput,
        Optional<String> tableLocationPrefix) {

    static final Pattern TABLE_BUCKET_ARN =
            Pattern.compile("arn:aws[a-z-]*:s3tables:[a-z0-9-]+:\\d{12}:bucket/([a-z0-9][a-z0-9-]{1,61}[a-z0-9])");
    private static final Pattern NAME = Pattern.compile("[a-z0-9_]+");

    public static SparkJobConfig from(Settings s) {
        String scriptUri = s.string("pipeline.emr.scriptUri");
        if (!scriptUri.isEmpty() && !scriptUri.matches("s3://[^/]+/.+")) {
            s.problem("pipeline.emr.scriptUri must be an s3://bucket/key URI, was " + scriptUri);
        }
        Path scriptPath = s.path("pipeline.emr.scriptPath");
        if (!Files.isRegularFile(scriptPath)) {
            s.problem("pipeline.emr.scriptPath must be the Spark job to upload, but there is no file at " + scriptPath
                      .toAbsolutePath());
        }
        String tableBucketArn = s.string("pipeline.s3tables.tableBucketArn");
        if (!tableBucketArn.isEmpty() && !TABLE_BUCKET_ARN.matcher(tableBucketArn).matches()) {
            s.problem("pipeline.s3tables.tableBucketArn must look like"
                      + " arn:aws:s3tables:<region>:<account>:bucket/<name>, was " + tableBucketArn);
        }
        return new SparkJobConfig(
                scriptUri,
                scriptPath,
                s.list("pipeline.emr.packages"),
                s.pairs("pipeline.emr.sparkConf"),
                name(s, "pipeline.emr.catalogName"),
                tableBucketArn,
                name(s, "pipeline.table.namespace"),
                name(s, "pipeline.table.name"),
                s.choice("pipeline.table.mode", Mode.class),
                // checked with the table's settings
                MergeConfig.read(s),
                s.bool("pipeline.table.reloadSameInput"),
                S3TablesConfig.tableLocationPrefix(s));
    }

    /** The table as the job's catalog names it: {@code <catalog>.<namespace>.<table>}. */
    public String qualifiedTable() {
        return catalogName + "." + namespace + "." + table;
    }

    private static String name(Settings s, String key) {
        String value = s.string(key);
        if (!NAME.matcher(value).matches()) {
            s.problem(key + " must be lower-case letters, digits and underscores, was " + value);
        }
        return value;
    }
}
