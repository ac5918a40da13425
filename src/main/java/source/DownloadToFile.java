package source;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

import app.Pipeline;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import run.PipelineRun;
import run.RunReporter;

/**
 * Streams the HTTP response body to a file in the run's work folder, counting bytes and hashing with SHA-256 on the
 * way: the body is never held in memory.
 */
public final class DownloadToFile implements Processor {

    private final RunReporter reporter;

    public DownloadToFile(RunReporter reporter) {
        this.reporter = reporter;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        PipelineRun run = exchange.getProperty(Pipeline.RUN, PipelineRun.class);
        Path target = reporter.workDir(run).resolve("download.csv");
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        long bytes;
        try (InputStream body = exchange.getIn().getMandatoryBody(InputStream.class);
             InputStream hashing = new DigestInputStream(body, sha256);
             OutputStream out = Files.newOutputStream(target)) {
            bytes = hashing.transferTo(out);
        }
        String hash = HexFormat.of().formatHex(sha256.digest());
        run.setInputFile(target);
        run.setDownloaded(true);
        run.setBytesRead(bytes);
        run.setSha256(hash);
        exchange.getIn().setHeader(Pipeline.SHA256, hash);
        exchange.getIn().setBody(target);
    }
}
