package source;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import core.BadInputException;
import core.Pipeline;
import core.Secrets;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import run.InputIdentity;
import run.PipelineRun;
import run.RunReporter;

/**
 * Streams the HTTP response body to a file in the run's work folder, counting bytes on the way while the input's
 * {@link InputIdentity} hashes them: the body is never held in memory. A body larger than
 * {@code pipeline.source.maxBytes}, or one that takes longer than {@code pipeline.source.maxDownloadTime} to arrive,
 * fails the run naming the limit (the read timeout alone does not stop a server that trickles bytes forever).
 */
public final class DownloadToFile implements Processor {

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
        long bytes;
        InputIdentity identity;
        try (InputStream body = exchange.getIn().getMandatoryBody(InputStream.class);
             InputIdentity.Hashing hashing = InputIdentity.hashing(body);
             OutputStream out = Files.newOutputStream(target)) {
            bytes = copy(hashing, out, Secrets.url(run.getSource()));
            identity = hashing.identity();
        }
        exchange.setProperty(Pipeline.INPUT_FILE, target);
        exchange.setProperty(Pipeline.INPUT_DOWNLOADED, true);
        run.setBytesRead(bytes);
        identity.attachTo(exchange);
        exchange.getIn().setBody(target);
    }

    private long copy(InputStream in, OutputStream out, String source) throws IOException {
        long deadline = System.nanoTime() + maxTime.toNanos();
        byte[] buffer = new byte[1 << 16];
        long bytes = 0;
        for (int n; (n = in.read(buffer)) >= 0; ) {
            bytes += n;
            if (bytes > maxBytes) {
                throw new BadInputException("the body of " + source + " is larger than " + maxBytes
                        + " bytes (pipeline.source.maxBytes)");
            }
            if (System.nanoTime() > deadline) {
                throw new BadInputException("the download of " + source + " took longer than " + maxTime
                        + " (pipeline.source.maxDownloadTime) after " + bytes + " bytes");
            }
            out.write(buffer, 0, n);
        }
        return bytes;
    }
}
