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
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The objects of {@code pipeline.s3source.url} and what becomes of each when its run ends, as the inbox does with its
 * files: a run that SUCCEEDED or was SKIPPED leaves its object in place ({@code keep}), moves it under
 * {@code donePrefix} ({@code move}) or deletes it ({@code delete}); a FAILED one is moved under {@code failedPrefix}
 * with {@code <name>.error.json} beside it, unless the run was cut short by the app's stop: then it stays for the
 * next start. An object that stays in place is remembered (its key and ETag, in
 * {@code <data.dir>/state/s3-source.properties}, written once its run has ended), so that it starts no second run;
 * the same key with new content does. A process stopped or killed before that starts the object's run again: the
 * table holds its SHA-256 by then if the run committed, and the run ends SKIPPED.
 */
public final class S3SourceObjects {

    private static final Logger LOG = LoggerFactory.getLogger("pipeline.run");
    private static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

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
        if (eTag == null || !eTag.equals(handled().getProperty(config.uri(key)))) {
            return true;
        }
        abort(exchange.getIn().getBody());
        return false;
    }

    /** The run of the object begins: when its exchange is done, the object is kept, moved or deleted. */
    public void takeCharge(Exchange exchange) {
        String key = exchange.getIn().getHeader(AWS2S3Constants.KEY, String.class);
        String eTag = exchange.getIn().getHeader(AWS2S3Constants.E_TAG, String.class);
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                PipelineRun run = done.getProperty(Pipeline.RUN, PipelineRun.class);
                if (run != null) {
                    afterRun(run, key, eTag);
                }
            }
        });
    }

    private void afterRun(PipelineRun run, String key, String eTag) {
        String object = Printable.escape(config.uri(key));
        try {
            if (run.getStatus() == RunStatus.FAILED) {
                if (reporter.isStopping()) {
                    LOG.warn("run {} interrupted by the stop: {} stays in place for the next start", run.getRunId(),
                            object);
                    return;
                }
                String target = moveAside(key, config.failedPrefix(), run);
                writeErrorObject(target, run);
                LOG.info("run {}: {} moved to {}", run.getRunId(), object, Printable.escape(config.uri(target)));
            } else if (run.getStatus() == RunStatus.SUCCEEDED || run.getStatus() == RunStatus.SKIPPED) {
                switch (config.afterRun()) {
                    case KEEP -> remember(key, eTag);
                    case MOVE -> LOG.info("run {}: {} moved to {}", run.getRunId(), object,
                            Printable.escape(config.uri(moveAside(key, config.donePrefix(), run))));
                    case DELETE -> {
                        s3.get().deleteObject(b -> b.bucket(config.bucket()).key(key));
                        LOG.info("run {}: {} deleted", run.getRunId(), object);
                    }
                }
            }
        } catch (SdkException | IOException e) {
            // left in place, it would start a run on every pass: remembered, it waits for the user
            String fate = run.getStatus() == RunStatus.FAILED ? "moved to " + config.failedPrefix()
                    : config.afterRun() == S3SourceConfig.AfterRun.MOVE ? "moved to " + config.donePrefix() : "deleted";
            LOG.error("run {}: {} could not be {} ({}); it stays in place and is not read again until it changes"
                      + " (the role needs s3:PutObject and s3:DeleteObject there; or pipeline.s3source.afterRun=keep)",
                    run.getRunId(), object, fate, e.getMessage());
            remember(key, eTag);
        }
    }

    /**
     * Copies the object under {@code prefix} (beside an earlier one of its name, under its name and the run's id),
     * then deletes it: a stop in between leaves both, and the object's run starts again, ending SKIPPED.
     */
    private String moveAside(String key, String prefix, PipelineRun run) {
        String target = config.movedKey(key, prefix);
        if (exists(target)) {
            target = target + "." + run.getRunId();
        }
        String to = target;
        s3.get().copyObject(b -> b.sourceBucket(config.bucket()).sourceKey(key)
                .destinationBucket(config.bucket()).destinationKey(to));
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
