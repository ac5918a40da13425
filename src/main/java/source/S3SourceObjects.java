package source;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import config.S3SourceConfig;
import core.Pipeline;
import core.Printable;
import org.apache.camel.Exchange;
import org.apache.camel.component.aws2.s3.AWS2S3Constants;
import org.apache.camel.support.SynchronizationAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import run.PipelineRun;
import run.RunReporter;
import run.RunStatus;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.Tag;

/**
 * The objects of {@code pipeline.s3source.url} and what becomes of each when its run ends, as the inbox does with its
 * files: a run that SUCCEEDED or was SKIPPED leaves its object in place ({@code keep}), tags it in place
 * ({@code tag}: {@value #LOADED_TAG}={@value #LOADED} and {@value #RUN_TAG}=the run id, beside its other tags), moves it
 * under {@code donePrefix} ({@code move}) or deletes it ({@code delete}); a FAILED one is moved under
 * {@code failedPrefix} with {@code <name>.error.json} beside it, unless the run was cut short by the app's stop: then
 * it stays for the next start. An object that stays in place is remembered (its key and ETag, in
 * {@code <data.dir>/state/s3-source.properties}, written once its run has ended), so that it starts no second run;
 * the same key with new content does. With {@code tag}, an object not remembered is looked up before its run: one
 * tagged loaded (by a process with another data dir) is remembered and starts none. A process stopped or killed
 * before that starts the object's run again: the table holds its SHA-256 by then if the run committed, and the run
 * ends SKIPPED. A moved object keeps the SSE-KMS encryption (and key) it was read with: a copy takes the bucket's
 * default otherwise.
 */
public final class S3SourceObjects {

    private static final Logger LOG = LoggerFactory.getLogger("pipeline.run");
    private static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
    /** The tag of {@code afterRun=tag} that a lifecycle rule can filter on, and its value. */
    public static final String LOADED_TAG = "s3tables-pipeline";
    public static final String LOADED = "loaded";
    /** The tag naming the run that tagged the object (its report is {@code <data.dir>/runs/<run id>.json}). */
    public static final String RUN_TAG = "s3tables-pipeline-run";

    private final S3SourceConfig config;
    private final Supplier<S3Client> s3;
    private final RunReporter reporter;
    private final Path stateFile;
    private Properties handled;

    /** {@code stateDir}: {@code <data.dir>/state}, where the objects left in place are remembered. */
    public S3SourceObjects(S3SourceConfig config, Supplier<S3Client> s3, RunReporter reporter, Path stateDir) {
        this.config = config;
        this.s3 = s3;
        this.reporter = reporter;
        this.stateFile = stateDir.resolve("s3-source.properties");
    }

    /**
     * Whether the object the consumer read is one no run has ended with in place yet. One that has is let go: its
     * body is aborted unread (closing it would read it to its end).
     */
    public boolean isNew(Exchange exchange) {
        String key = exchange.getIn().getHeader(AWS2S3Constants.KEY, String.class);
        String eTag = exchange.getIn().getHeader(AWS2S3Constants.E_TAG, String.class);
        String versionId = exchange.getIn().getHeader(AWS2S3Constants.VERSION_ID, String.class);
        if (eTag == null || !eTag.equals(handled().getProperty(config.uri(key)))) {
            if (config.afterRun() != S3SourceConfig.AfterRun.TAG || eTag == null || !taggedLoaded(key, versionId)) {
                return true;
            }
            LOG.info("{} is tagged {}={}: loaded by an earlier run, not read again until it changes",
                    Printable.escape(config.uri(key)), LOADED_TAG, LOADED);
            remember(key, eTag);
        }
        abort(exchange.getIn().getBody());
        return false;
    }

    /** The run of the object begins: when its exchange is done, the object is kept, tagged, moved or deleted. */
    public void takeCharge(Exchange exchange) {
        ReadObject read = new ReadObject(exchange.getIn().getHeader(AWS2S3Constants.KEY, String.class),
                exchange.getIn().getHeader(AWS2S3Constants.E_TAG, String.class),
                exchange.getIn().getHeader(AWS2S3Constants.VERSION_ID, String.class),
                exchange.getIn().getBody() instanceof ResponseInputStream<?> body
                        && body.response() instanceof GetObjectResponse response ? response : null);
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                PipelineRun run = done.getProperty(Pipeline.RUN, PipelineRun.class);
                if (run != null) {
                    afterRun(run, read);
                }
            }
        });
    }

    /** The object as the consumer's GET read it: the version the run loaded, and how it was encrypted. */
    private record ReadObject(String key, String eTag, String versionId, GetObjectResponse response) {

        /** SSE-S3 or SSE-KMS as the GET answered, or null for none (or one this SDK does not know). */
        ServerSideEncryption encryption() {
            ServerSideEncryption sse = response == null ? null : response.serverSideEncryption();
            return sse == ServerSideEncryption.UNKNOWN_TO_SDK_VERSION ? null : sse;
        }
    }

    private void afterRun(PipelineRun run, ReadObject read) {
        String key = read.key();
        String eTag = read.eTag();
        String object = Printable.escape(config.uri(key));
        try {
            if (run.getStatus() == RunStatus.FAILED) {
                if (reporter.isStopping()) {
                    LOG.warn("run {} interrupted by the stop: {} stays in place for the next start", run.getRunId(),
                            object);
                    return;
                }
                String target = moveAside(read, config.failedPrefix(), run);
                writeErrorObject(target, run);
                LOG.info("run {}: {} moved to {}", run.getRunId(), object, Printable.escape(config.uri(target)));
            } else if (run.getStatus() == RunStatus.SUCCEEDED || run.getStatus() == RunStatus.SKIPPED) {
                switch (config.afterRun()) {
                    case KEEP -> remember(key, eTag);
                    case TAG -> tag(read, run);
                    case MOVE -> LOG.info("run {}: {} moved to {}", run.getRunId(), object,
                            Printable.escape(config.uri(moveAside(read, config.donePrefix(), run))));
                    case DELETE -> {
                        s3.get().deleteObject(b -> b.bucket(config.bucket()).key(key));
                        LOG.info("run {}: {} deleted", run.getRunId(), object);
                    }
                }
            }
        } catch (SdkException | IOException e) {
            // left in place, it would start a run on every pass: remembered, it waits for the user
            boolean failed = run.getStatus() == RunStatus.FAILED;
            String fate = failed ? "moved to " + config.failedPrefix() : switch (config.afterRun()) {
                case MOVE -> "moved to " + config.donePrefix();
                case TAG -> "tagged";
                default -> "deleted";
            };
            String remedy = !failed && config.afterRun() == S3SourceConfig.AfterRun.TAG
                    ? "the role needs s3:GetObjectTagging and s3:PutObjectTagging on the prefix, and the S3 server must"
                      + " keep object tags; or pipeline.s3source.afterRun=keep or move"
                    : "the role needs s3:PutObject and s3:DeleteObject there; or pipeline.s3source.afterRun=keep";
            LOG.error("run {}: {} could not be {} ({}); it stays in place and is not read again until it changes ({})",
                    run.getRunId(), object, fate, e.getMessage(), remedy);
            remember(key, eTag);
        }
    }

    /**
     * Adds {@value #LOADED_TAG}={@value #LOADED} and the run's id to the object's tags, read first so that the
     * user's own stay, then remembers it. The version read is tagged: by its version id where the bucket keeps
     * versions, else only while the object still has the ETag read (a new object put under the key during the run
     * stays untagged, and is read as a new run).
     */
    private void tag(ReadObject read, PipelineRun run) {
        String object = Printable.escape(config.uri(read.key()));
        if (read.versionId() == null && !unchanged(read)) {
            LOG.info("run {}: {} was replaced or deleted during the run: not tagged", run.getRunId(), object);
            return;
        }
        Map<String, String> tags = new LinkedHashMap<>();
        tags(read.key(), read.versionId()).forEach(tag -> tags.put(tag.key(), tag.value()));
        tags.put(LOADED_TAG, LOADED);
        tags.put(RUN_TAG, run.getRunId());
        List<Tag> tagSet = tags.entrySet().stream()
                .map(tag -> Tag.builder().key(tag.getKey()).value(tag.getValue()).build()).toList();
        s3.get().putObjectTagging(b -> b.bucket(config.bucket()).key(read.key()).versionId(read.versionId())
                .tagging(t -> t.tagSet(tagSet)));
        remember(read.key(), read.eTag());
        LOG.info("run {}: {} tagged {}={}, {}={}", run.getRunId(), object, LOADED_TAG, LOADED, RUN_TAG,
                run.getRunId());
    }

    /** Whether the object tells it was tagged loaded; a refused look-up says so and lets the run decide. */
    private boolean taggedLoaded(String key, String versionId) {
        try {
            return tags(key, versionId).stream()
                    .anyMatch(tag -> LOADED_TAG.equals(tag.key()) && LOADED.equals(tag.value()));
        } catch (S3Exception e) {
            if (e.statusCode() != 403 && e.statusCode() != 501) {
                throw e;
            }
            // the run is safe: the table's record of the object's SHA-256 ends it SKIPPED if it was loaded
            LOG.warn("the tags of {} could not be read ({}): its run starts (the role needs s3:GetObjectTagging on the"
                     + " prefix for pipeline.s3source.afterRun=tag)", Printable.escape(config.uri(key)),
                    e.getMessage());
            return false;
        }
    }

    private List<Tag> tags(String key, String versionId) {
        return s3.get().getObjectTagging(b -> b.bucket(config.bucket()).key(key).versionId(versionId)).tagSet();
    }

    /** Whether the object under the key is still the one read (its ETag), not replaced or deleted meanwhile. */
    private boolean unchanged(ReadObject read) {
        try {
            s3.get().headObject(b -> b.bucket(config.bucket()).key(read.key()).ifMatch(read.eTag()));
            return true;
        } catch (S3Exception e) {
            if (e.statusCode() == 412 || e.statusCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    /**
     * Copies the object under {@code prefix} (beside an earlier one of its name, under its name and the run's id),
     * then deletes it: a stop in between leaves both, and the object's run starts again, ending SKIPPED. The copy is
     * encrypted as the object was read (SSE-KMS with its key): CopyObject would give it the bucket's default.
     */
    private String moveAside(ReadObject read, String prefix, PipelineRun run) {
        String key = read.key();
        String target = config.movedKey(key, prefix);
        if (exists(target)) {
            target = target + "." + run.getRunId();
        }
        String to = target;
        ServerSideEncryption sse = read.encryption();
        s3.get().copyObject(b -> {
            b.sourceBucket(config.bucket()).sourceKey(key).destinationBucket(config.bucket()).destinationKey(to);
            if (sse != null) {
                b.serverSideEncryption(sse).ssekmsKeyId(read.response().ssekmsKeyId())
                        .bucketKeyEnabled(read.response().bucketKeyEnabled());
            }
        });
        s3.get().deleteObject(b -> b.bucket(config.bucket()).key(key));
        return target;
    }

    private boolean exists(String key) {
        try {
            s3.get().headObject(b -> b.bucket(config.bucket()).key(key));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    /** {@code <failed object>.error.json}: the run, the stage and why, as the inbox's sidecar says them. */
    private void writeErrorObject(String failedKey, PipelineRun run) throws IOException {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("runId", run.getRunId());
        error.put("stage", run.getError().stage());
        error.put("reason", run.getError().message());
        error.put("source", run.getSource());
        error.put("failedAt", String.valueOf(run.getFinishedAt()));
        byte[] json = JSON.writeValueAsBytes(error);
        s3.get().putObject(b -> b.bucket(config.bucket()).key(failedKey + ".error.json")
                .contentType("application/json"), RequestBody.fromBytes(json));
    }

    private synchronized Properties handled() {
        if (handled == null) {
            handled = new Properties();
            if (Files.exists(stateFile)) {
                try (InputStream in = Files.newInputStream(stateFile)) {
                    handled.load(new InputStreamReader(in, StandardCharsets.UTF_8));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read " + stateFile, e);
                }
            }
        }
        return handled;
    }

    /** Written aside then moved, as the HTTP poller's memory: a crash leaves the old file or the new one whole. */
    private synchronized void remember(String key, String eTag) {
        if (eTag == null) {
            return;
        }
        Properties all = handled();
        all.setProperty(config.uri(key), eTag);
        try {
            Files.createDirectories(stateFile.getParent());
            Path partial = stateFile.resolveSibling(stateFile.getFileName() + ".partial");
            try (OutputStream out = Files.newOutputStream(partial)) {
                all.store(new OutputStreamWriter(out, StandardCharsets.UTF_8),
                        "objects of pipeline.s3source.url whose run ended with them in place: s3 URI = ETag");
            }
            Files.move(partial, stateFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            LOG.error("could not write {}: {} may be read again after a restart (its run then ends SKIPPED)",
                    stateFile, Printable.escape(config.uri(key)));
        }
    }

    /** Ends an object's GET without reading the rest of its body. */
    static void abort(Object body) {
        if (body instanceof ResponseInputStream<?> response) {
            response.abort();
        }
    }
}
