package source;

import java.util.function.Supplier;

import config.S3SourceConfig;
import core.BadInputException;
import core.Pipeline;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.aws2.s3.AWS2S3Constants;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Stores the object of an S3 source's run in the run's work folder as {@link DownloadToFile} stores an HTTP body: as
 * received (a compressed object is told by the convert), hashed on its way, within {@code pipeline.source.maxBytes}
 * and {@code pipeline.source.maxDownloadTime}. An object larger than the limit is refused before a byte of it is read.
 * The first attempt reads the body the consumer's GET opened; a redelivery GETs the object again, the same version of
 * it ({@code If-Match} its ETag), and reads it from its start. A failed object is kept in the source's failed prefix,
 * not in {@code <data.dir>/failed/}.
 */
public final class S3ObjectDownload implements Processor {

    private static final String BODY_READ = "pipelineS3BodyRead";

    private final S3SourceConfig config;
    private final Supplier<S3Client> s3;
    private final DownloadToFile download;
    private final long maxBytes;

    public S3ObjectDownload(S3SourceConfig config, Supplier<S3Client> s3, DownloadToFile download, long maxBytes) {
        this.config = config;
        this.s3 = s3;
        this.download = download;
        this.maxBytes = maxBytes;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        String key = exchange.getIn().getHeader(AWS2S3Constants.KEY, String.class);
        Long length = exchange.getIn().getHeader(AWS2S3Constants.CONTENT_LENGTH, Long.class);
        if (length != null && length > maxBytes) {
            S3SourceObjects.abort(exchange.getIn().getBody());
            throw new BadInputException(config.uri(key) + " is " + length + " bytes, larger than " + maxBytes
                    + " bytes (pipeline.source.maxBytes), refused");
        }
        if (exchange.getProperty(BODY_READ, false, Boolean.class)) {
            String eTag = exchange.getIn().getHeader(AWS2S3Constants.E_TAG, String.class);
            exchange.getIn().setBody(s3.get().getObject(b -> b.bucket(config.bucket()).key(key).ifMatch(eTag)));
        }
        exchange.setProperty(BODY_READ, true);
        download.process(exchange);
        exchange.setProperty(Pipeline.INPUT_DOWNLOADED, false);
    }
}
