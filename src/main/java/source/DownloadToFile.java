package source;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import core.BadInputException;
import core.Pipeline;
import core.Secrets;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.hc.core5.http.io.EofSensorInputStream;
import run.InputIdentity;
import run.PipelineRun;
import run.RunReporter;
import software.amazon.awssdk.core.ResponseInputStream;

/**
 * Streams the HTTP response body to a file in the run's work folder, counting bytes on the way while the input's
 * {@link InputIdentity} hashes them: the body is never held in memory, and is stored as it arrived (no
 * {@code Content-Encoding} is undone). A body larger than {@code pipeline.source.maxBytes}, or one that takes longer
 * than {@code pipeline.source.maxDownloadTime} to arrive, fails the run naming the limit (the read timeout alone does
 * not stop a server that trickles bytes forever). A download that does not end well aborts its connection: the rest
 * of the body is neither read (closing the response's stream would read it to its announced end) nor is the
 * connection used again; a read that waits for bytes when the time is up is cut short by the abort.
 */
public final class DownloadToFile implements Processor {

    /** One thread for every download's deadline: it only aborts connections. */
    private static final ScheduledExecutorService DEADLINES = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "download-deadline");
        thread.setDaemon(true);
        return thread;
    });

    private final RunReporter reporter;
    private final long maxBytes;
    private final Duration maxTime;

    public DownloadToFile(RunReporter reporter, long maxBytes, Duration maxTime) {
        this.reporter = reporter;
        this.maxBytes = maxBytes;
        this.maxTime = maxTime;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        PipelineRun run = exchange.getProperty(Pipeline.RUN, PipelineRun.class);
        Path target = reporter.workDir(run).resolve("download.csv");
        String source = Secrets.url(run.getSource());
        InputStream body = exchange.getIn().getMandatoryBody(InputStream.class);
        Deadline deadline = new Deadline(body);
        InputIdentity.Hashing hashing = InputIdentity.hashing(body);
        long bytes;
        try (OutputStream out = Files.newOutputStream(target)) {
            bytes = copy(hashing, out, source, deadline);
        } catch (IOException | RuntimeException e) {
            // before anything closes the body: closing it would read the rest
            abort(body);
            if (deadline.passed()) {
                throw tookTooLong(source, deadline.bytes);
            }
            throw e;
        } finally {
            deadline.cancel();
        }
        // read to its end: the connection goes back to the pool
        hashing.close();
        InputIdentity identity = hashing.identity();
        exchange.setProperty(Pipeline.INPUT_FILE, target);
        exchange.setProperty(Pipeline.INPUT_DOWNLOADED, true);
        run.setBytesRead(bytes);
        identity.attachTo(exchange);
        exchange.getIn().setBody(target);
    }

    private long copy(InputStream in, OutputStream out, String source, Deadline deadline) throws IOException {
        byte[] buffer = new byte[1 << 16];
        long bytes = 0;
        for (int n; (n = in.read(buffer)) >= 0; ) {
            bytes += n;
            deadline.bytes = bytes;
            if (bytes > maxBytes) {
                throw new BadInputException("the body of " + source + " is larger than " + maxBytes
                        + " bytes (pipeline.source.maxBytes)");
            }
            if (deadline.passed()) {
                throw tookTooLong(source, bytes);
            }
            out.write(buffer, 0, n);
        }
        return bytes;
    }

    private BadInputException tookTooLong(String source, long bytes) {
        return new BadInputException("the download of " + source + " took longer than " + maxTime
                + " (pipeline.source.maxDownloadTime) after " + bytes + " bytes");
    }

    /**
     * Ends the response without reading the rest of it: the connection is closed, not given back for reuse. Camel's
     * HTTP producer hands over the response's own stream ({@code disableStreamCache}), which can abort it, as the
     * SDK's stream of an S3 object can.
     */
    private static void abort(InputStream body) {
        try {
            if (body instanceof EofSensorInputStream response) {
                response.abort();
            } else if (body instanceof ResponseInputStream<?> object) {
                // an S3 object's body, read by an S3 source's run
                object.abort();
            } else {
                body.close();
            }
        } catch (IOException e) {
            // the connection is going away all the same
        }
    }

    /** {@code maxDownloadTime} from now: when it passes, the response is aborted, which ends a read waiting for it. */
    private final class Deadline {

        private final long at = System.nanoTime() + maxTime.toNanos();
        private final ScheduledFuture<?> abort;
        private volatile long bytes;

        Deadline(InputStream body) {
            abort = DEADLINES.schedule(() -> abort(body), maxTime.toNanos(), TimeUnit.NANOSECONDS);
        }

        boolean passed() {
            return System.nanoTime() - at >= 0;
        }

        void cancel() {
            abort.cancel(false);
        }
    }
}
