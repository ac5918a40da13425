package config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * {@code pipeline.s3source.*}: the S3 prefix watched for CSV objects, each one a run, and what becomes of an object
 * when its run ends: kept where it is, tagged where it is, moved under {@code donePrefix}, or deleted; a failed one is
 * moved under {@code failedPrefix} with an {@code .error.json} object beside it. Only the objects directly under the
 * prefix are read (up to its next {@code /}), so the default {@code .done/} and {@code .failed/} beside them are never
 * read again.
 *
 * @param bucket       the bucket of {@code pipeline.s3source.url}
 * @param prefix       the key prefix of {@code pipeline.s3source.url}, possibly empty
 * @param folder       the prefix up to and including its last {@code /}: where a moved object's name starts
 */
public record S3SourceConfig(String bucket, String prefix, String folder, Duration pollInterval, AfterRun afterRun,
        String donePrefix, String failedPrefix) {

    /** {@code pipeline.s3source.afterRun}: what becomes of an object whose run SUCCEEDED or was SKIPPED. */
    public enum AfterRun { MOVE, KEEP, DELETE, TAG }

    private static final String URL = "pipeline.s3source.url";

    /**
     * The S3 source of the one dataset of the {@code pipeline.*} properties, if {@code pipeline.s3source.url} is set;
     * a bad value is a problem of {@code settings}. It is read for a single dataset only: with
     * {@code pipeline.datasets}, setting it is a problem.
     */
    public static Optional<S3SourceConfig> load(Settings s, Datasets datasets) {
        Optional<String> url = s.optional(URL);
        for (PipelineConfig dataset : datasets.several() ? datasets.all() : List.<PipelineConfig>of()) {
            String own = "pipeline.dataset." + dataset.dataset() + ".s3source.url";
            s.given(own).filter(value -> !value.isBlank()).ifPresent(value -> s.problem(own + " is not read: "
                    + URL + " serves a single dataset; poll an S3 prefix with one process per dataset"));
        }
        if (url.isEmpty()) {
            return Optional.empty();
        }
        if (datasets.several()) {
            s.problem(URL + " is read for a single dataset; with pipeline.datasets, poll an S3 prefix with one process"
                      + " per dataset, was " + url.get());
            return Optional.empty();
        }
        URI uri;
        try {
            uri = URI.create(url.get());
        } catch (IllegalArgumentException e) {
            uri = null;
        }
        if (uri == null || !"s3".equals(uri.getScheme()) || uri.getHost() == null || uri.getRawQuery() != null
            || uri.getRawFragment() != null) {
            s.problem(URL + " must be s3://<bucket>/<prefix>, was " + url.get());
            return Optional.empty();
        }
        String bucket = uri.getHost();
        String prefix = uri.getPath().startsWith("/") ? uri.getPath().substring(1) : uri.getPath();
        String folder = prefix.substring(0, prefix.lastIndexOf('/') + 1);
        String done = s.optional("pipeline.s3source.donePrefix").orElse(folder + ".done/");
        String failed = s.optional("pipeline.s3source.failedPrefix").orElse(folder + ".failed/");
        AfterRun afterRun = s.choice("pipeline.s3source.afterRun", AfterRun.class);
        if (afterRun == AfterRun.MOVE) {
            checkNotReadAgain(s, "pipeline.s3source.donePrefix", done, prefix);
        }
        checkNotReadAgain(s, "pipeline.s3source.failedPrefix", failed, prefix);
        if (afterRun == AfterRun.TAG && s.bool("pipeline.s3.embedded")) {
            // refused before any run: the embedded S3Proxy answers NotImplemented to every tagging request
            s.problem("pipeline.s3source.afterRun=tag needs an S3 that keeps object tags, and the embedded S3 server"
                      + " (pipeline.s3.embedded=true) keeps none; use keep, move or delete with it, or point"
                      + " pipeline.s3.embedded=false and pipeline.s3.endpoint at a real S3");
        }
        return Optional.of(new S3SourceConfig(bucket, prefix, folder, s.duration("pipeline.s3source.pollInterval"),
                afterRun, done, failed));
    }

    /** The key of {@code key} moved under {@code target}: its name after the watched folder, under the target prefix. */
    public String movedKey(String key, String target) {
        return target + key.substring(folder.length());
    }

    /** {@code s3://bucket/key} of an object of this source. */
    public String uri(String key) {
        return "s3://" + bucket + "/" + key;
    }

    /** An object moved under {@code target} must not be listed under the prefix again (its run would start again). */
    private static void checkNotReadAgain(Settings s, String key, String target, String prefix) {
        if (target.isEmpty() || target.startsWith("/")) {
            s.problem(key + " must be a key prefix such as trips/.done/ (not empty, no leading /), was " + target);
        } else if (target.startsWith(prefix) && target.indexOf('/', prefix.length()) < 0) {
            s.problem(key + " must not be read as part of pipeline.s3source.url: objects moved under " + target
                      + " would be listed with " + prefix + "; end it with a folder, such as " + prefix + ".done/");
        }
    }
}
