package config;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code pipeline.emrServerless.*}: the EMR Serverless application to reuse (by id or name) or to create (and reuse on
 * later runs), the job run's execution role and log URI, the application's capacity, and the wait. The job itself is
 * the EMR engine's ({@link SparkJobConfig}: {@code pipeline.emr.scriptUri}, packages, Spark conf, catalog name).
 */
public record EmrServerlessConfig(
        Optional<String> region,
        Optional<URI> endpoint,
        Optional<String> applicationId,
        Optional<String> reuseApplicationName,
        String applicationName,
        String releaseLabel,
        boolean autoStart,
        Duration autoStopIdleTimeout,
        Map<String, String> maximumCapacity,
        Map<String, String> tags,
        String executionRoleArn,
        String logUri,
        String jobName,
        Duration waitInterval,
        Duration waitTimeout,
        boolean keepApplicationStarted,
        SparkJobConfig job) {

    /** The keys of {@code pipeline.emrServerless.maximumCapacity}, as CreateApplication's maximumCapacity names them. */
    public static final Set<String> CAPACITY_KEYS = Set.of("cpu", "memory", "disk");

    public static EmrServerlessConfig from(Settings s) {
        Optional<String> applicationId = s.optional("pipeline.emrServerless.applicationId");
        Optional<String> reuseName = s.optional("pipeline.emrServerless.reuseApplicationName");
        if (applicationId.isPresent() && reuseName.isPresent()) {
            s.problem("pipeline.emrServerless.applicationId and pipeline.emrServerless.reuseApplicationName are"
                      + " exclusive, both were set (" + applicationId.get() + ", " + reuseName.get() + ")");
        }
        String applicationName = s.string("pipeline.emrServerless.applicationName");
        if (!applicationName.matches("[A-Za-z0-9._/#-]{1,64}")) {
            s.problem("pipeline.emrServerless.applicationName must be 1 to 64 letters, digits or ._/#-, was "
                      + applicationName);
        }
        String releaseLabel = s.string("pipeline.emrServerless.releaseLabel");
        EmrConfig.checkRelease(s, "pipeline.emrServerless.releaseLabel", releaseLabel);

        Duration idle = s.duration("pipeline.emrServerless.autoStopIdleTimeout");
        if (idle.compareTo(Duration.ofMinutes(1)) < 0 || idle.compareTo(Duration.ofDays(7)) > 0
            || idle.toSecondsPart() != 0) {
            s.problem("pipeline.emrServerless.autoStopIdleTimeout must be whole minutes between 1m and 7d (EMR"
                      + " Serverless's limits), was " + s.optional("pipeline.emrServerless.autoStopIdleTimeout")
                              .orElse(""));
        }
        Map<String, String> capacity = s.pairs("pipeline.emrServerless.maximumCapacity");
        capacity.keySet().stream().filter(k -> !CAPACITY_KEYS.contains(k)).forEach(k -> s.problem(
                "pipeline.emrServerless.maximumCapacity takes cpu=, memory= and disk= (e.g. cpu=16vCPU,memory=64GB),"
                + " not " + k));
        if (!capacity.isEmpty() && !(capacity.containsKey("cpu") && capacity.containsKey("memory"))) {
            s.problem("pipeline.emrServerless.maximumCapacity needs both cpu= and memory= when set, was " + capacity);
        }

        String role = s.optional("pipeline.emrServerless.executionRoleArn").orElse("");
        if (!role.matches("arn:aws[a-z-]*:iam::\\d{12}:role/.+")) {
            s.problem("pipeline.emrServerless.executionRoleArn must be the job runtime role's ARN"
                      + " (arn:aws:iam::<account>:role/<name>), was " + (role.isEmpty() ? "not set" : role));
        }
        String logUri = s.optional("pipeline.emrServerless.logUri").orElse("");
        if (!logUri.matches("s3://[^/]+.*")) {
            s.problem("pipeline.emrServerless.logUri must be an s3:// URI (the driver's stdout holds the job's"
                      + " summary, its stderr the cause of a failure), was " + (logUri.isEmpty() ? "not set" : logUri));
        }

        Duration waitInterval = s.duration("pipeline.emrServerless.waitInterval");
        Duration waitTimeout = s.duration("pipeline.emrServerless.waitTimeout");
        if (waitInterval.isZero() || waitInterval.isNegative()) {
            s.problem("pipeline.emrServerless.waitInterval must be positive, was "
                      + s.optional("pipeline.emrServerless.waitInterval").orElse(""));
        }
        if (waitTimeout.compareTo(waitInterval) < 0) {
            s.problem("pipeline.emrServerless.waitTimeout must be at least pipeline.emrServerless.waitInterval, was "
                      + s.optional("pipeline.emrServerless.waitTimeout").orElse(""));
        }
        SparkJobConfig job = SparkJobConfig.from(s);
        // StartJobRun takes spark-submit's options as one string that EMR Serverless splits on spaces
        job.sparkConf().forEach((key, value) -> {
            if ((key + value).matches("(?s).*\\s.*")) {
                s.problem("pipeline.emr.sparkConf cannot carry a space with pipeline.engine=emr-serverless"
                          + " (sparkSubmitParameters is split on spaces), was " + key + "=" + value);
            }
        });
        return new EmrServerlessConfig(
                s.optional("pipeline.emrServerless.region").or(() -> s.optional("pipeline.emr.region")),
                s.url("pipeline.emrServerless.endpoint"),
                applicationId,
                reuseName,
                applicationName,
                releaseLabel,
                s.bool("pipeline.emrServerless.autoStart"),
                idle,
                capacity,
                s.pairs("pipeline.emrServerless.tags"),
                role,
                logUri,
                s.string("pipeline.emrServerless.jobName"),
                waitInterval,
                waitTimeout,
                s.bool("pipeline.emrServerless.keepApplicationStarted"),
                job);
    }

    /** Whether the pipeline creates the application (neither an id nor a name to reuse was given). */
    public boolean createsApplication() {
        return applicationId.isEmpty() && reuseApplicationName.isEmpty();
    }

    /** The configured tags plus the app's own, by which a later run finds the application it created. */
    public Map<String, String> applicationTags() {
        Map<String, String> all = new LinkedHashMap<>(tags);
        all.put("app", EmrConfig.APP_NAME);
        return all;
    }
}
