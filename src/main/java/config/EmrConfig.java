package config;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code pipeline.emr.*}, {@code pipeline.s3tables.tableBucketArn} and the table of {@code pipeline.table.*}: the EMR
 * cluster to create or reuse, the Spark step that loads the Parquet into the S3 Tables table, and how long to wait for
 * it. Defaults are the walkthrough's values.
 */
public record EmrConfig(
        Optional<String> clusterId,
        Optional<String> reuseClusterName,
        String clusterName,
        String logUri,
        boolean keepJobFlowAliveWhenNoSteps,
        List<String> applications,
        String masterInstanceType,
        String coreInstanceType,
        int instanceCount,
        Optional<String> ec2KeyName,
        String releaseLabel,
        String serviceRole,
        String jobFlowRole,
        Optional<String> subnetId,
        Map<String, String> tags,
        Optional<Path> configurationsFile,
        Map<String, String> bootstrapActions,
        Duration autoTerminationIdleTimeout,
        Optional<String> region,
        Optional<URI> endpoint,
        SparkJobConfig job,
        ActionOnFailure actionOnFailure,
        String stepName,
        Duration waitInterval,
        Duration waitTimeout,
        boolean keepCluster) {

    /** What EMR does with the cluster when the step fails (EMR's own ActionOnFailure values). */
    public enum ActionOnFailure { CONTINUE, CANCEL_AND_WAIT, TERMINATE_CLUSTER, TERMINATE_JOB_FLOW }

    public static final String APP_NAME = "s3tables-pipeline";
    /** The tag naming the run a created cluster belongs to: a retry or restart looks it up instead of creating another. */
    public static final String RUN_TAG = APP_NAME + ":run";
    public static final String MINIMUM_RELEASE = "emr-7.5.0";

    private static final Pattern RELEASE = Pattern.compile("emr-(\\d+)\\.(\\d+)\\.(\\d+)");
    private static final Pattern TABLE_BUCKET_ARN = SparkJobConfig.TABLE_BUCKET_ARN;

    public static EmrConfig from(Settings s) {
        Optional<String> clusterId = s.optional("pipeline.emr.clusterId");
        Optional<String> reuseClusterName = s.optional("pipeline.emr.reuseClusterName");
        if (clusterId.isPresent() && reuseClusterName.isPresent()) {
            s.problem("pipeline.emr.clusterId and pipeline.emr.reuseClusterName are exclusive, both were set ("
                      + clusterId.get() + ", " + reuseClusterName.get() + ")");
        }
        boolean creating = clusterId.isEmpty() && reuseClusterName.isEmpty();

        String logUri = s.optional("pipeline.emr.logUri").orElse("");
        if (creating && logUri.isEmpty()) {
            s.problem("pipeline.emr.logUri is required when the pipeline creates the cluster (it holds the step's"
                      + " stdout and stderr), but not set");
        } else if (!logUri.isEmpty() && !logUri.matches("s3n?://[^/]+.*")) {
            s.problem("pipeline.emr.logUri must be an s3:// URI, was " + logUri);
        }

        String releaseLabel = s.string("pipeline.emr.releaseLabel");
        checkRelease(s, "pipeline.emr.releaseLabel", releaseLabel);

        Optional<Path> configurationsFile = s.optional("pipeline.emr.configurationsFile").map(Path::of);
        configurationsFile.filter(f -> !Files.isRegularFile(f)).ifPresent(f -> s.problem(
                "pipeline.emr.configurationsFile must be a JSON file of EMR configurations, but there is no file at "
                + f.toAbsolutePath()));

        Map<String, String> bootstrapActions = s.pairs("pipeline.emr.bootstrapActions");
        bootstrapActions.forEach((name, path) -> {
            if (!path.startsWith("s3://")) {
                s.problem("pipeline.emr.bootstrapActions must be name=s3://path pairs, was " + name + "=" + path);
            }
        });

        // a created cluster stays alive between steps (keepJobFlowAliveWhenNoSteps): without this, a crash leaks it
        Duration idle = s.duration("pipeline.emr.autoTerminationIdleTimeout");
        if (idle.compareTo(Duration.ofMinutes(1)) < 0 || idle.compareTo(Duration.ofDays(7)) > 0) {
            s.problem("pipeline.emr.autoTerminationIdleTimeout must be between 1m and 7d (EMR's"
                      + " limits), was " + s.optional("pipeline.emr.autoTerminationIdleTimeout").orElse(""));
        }

        Optional<URI> endpoint = s.url("pipeline.emr.endpoint");

        SparkJobConfig job = SparkJobConfig.from(s);

        Duration waitInterval = s.duration("pipeline.emr.waitInterval");
        Duration waitTimeout = s.duration("pipeline.emr.waitTimeout");
        if (waitInterval.isZero() || waitInterval.isNegative()) {
            s.problem("pipeline.emr.waitInterval must be positive, was " + s.optional("pipeline.emr.waitInterval")
                    .orElse(""));
        }
        if (waitTimeout.compareTo(waitInterval) < 0) {
            s.problem("pipeline.emr.waitTimeout must be at least pipeline.emr.waitInterval, was "
                      + s.optional("pipeline.emr.waitTimeout").orElse(""));
        }

        return new EmrConfig(
                clusterId,
                reuseClusterName,
                s.string("pipeline.emr.clusterName"),
                logUri,
                s.bool("pipeline.emr.keepJobFlowAliveWhenNoSteps"),
                s.list("pipeline.emr.applications"),
                s.string("pipeline.emr.masterInstanceType"),
                s.string("pipeline.emr.coreInstanceType"),
                s.integer("pipeline.emr.instanceCount", 1, 500),
                s.optional("pipeline.emr.ec2KeyName"),
                releaseLabel,
                s.string("pipeline.emr.serviceRole"),
                s.string("pipeline.emr.jobFlowRole"),
                s.optional("pipeline.emr.subnetId"),
                s.pairs("pipeline.emr.tags"),
                configurationsFile,
                bootstrapActions,
                idle,
                s.optional("pipeline.emr.region"),
                endpoint,
                job,
                s.choice("pipeline.emr.actionOnFailure", ActionOnFailure.class),
                s.string("pipeline.emr.stepName"),
                waitInterval,
                waitTimeout,
                s.bool("pipeline.emr.keepCluster"));
    }

    /** Whether the pipeline creates the cluster (neither an id nor a name to reuse was given). */
    public boolean createsCluster() {
        return clusterId.isEmpty() && reuseClusterName.isEmpty();
    }

    /** The table bucket's name, the last part of its ARN. */
    public String tableBucketName() {
        return tableBucketName(job.tableBucketArn());
    }

    /** The last part of a table bucket ARN ({@code arn:aws:s3tables:...:bucket/<name>}). */
    public static String tableBucketName(String arn) {
        Matcher m = TABLE_BUCKET_ARN.matcher(arn);
        return m.matches() ? m.group(1) : arn.substring(arn.lastIndexOf('/') + 1);
    }

    /** The configured tags plus the two the pipeline always sets: the app name and the run tag. */
    public Map<String, String> tagsFor(String runId) {
        Map<String, String> all = new LinkedHashMap<>(tags);
        all.put("app", APP_NAME);
        all.put(RUN_TAG, runId);
        return all;
    }

    /** {@code key} names an EMR release of at least {@link #MINIMUM_RELEASE}, the first with S3 Tables. */
    static void checkRelease(Settings s, String key, String releaseLabel) {
        Matcher m = RELEASE.matcher(releaseLabel);
        if (!m.matches()) {
            s.problem(key + " must look like emr-7.5.0, was " + releaseLabel);
            return;
        }
        int[] have = {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))};
        int[] need = {7, 5, 0};
        for (int i = 0; i < 3; i++) {
            if (have[i] != need[i]) {
                if (have[i] < need[i]) {
                    s.problem(key + " must be " + MINIMUM_RELEASE
                              + " or newer for S3 Tables, was " + releaseLabel);
                }
                return;
            }
        }
    }
}
