package source;

import java.time.Duration;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultPollingConsumerPollStrategy;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ServiceClientConfiguration;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadBucketRequest;
import software.amazon.awssdk.services.s3.model.HeadBucketResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsResponse;

/**
 * Paces the {@code aws2-s3} consumer of {@code pipeline.s3source.url} in passes over the prefix. The consumer lists
 * one key a poll, in key order, and reads it (a GET, whose body the run streams); it goes on at once while it finds
 * objects (greedy), and from the start again once its listing ends. A pass over the prefix ends when a listing is
 * not truncated: the next pass begins {@code pollInterval} later. So objects kept in place ({@code afterRun=keep}, or
 * an object that could not be moved) are looked at once a pass, not over and over, and a new object waits at most
 * a poll interval and the pass it arrives in.
 */
public final class S3PrefixPasses extends DefaultPollingConsumerPollStrategy {

    private final Duration pollInterval;
    private final LongSupplier nanoClock;
    private volatile long nextPassNanos;
    private volatile boolean paced;

    public S3PrefixPasses(Duration pollInterval) {
        this(pollInterval, System::nanoTime);
    }

    S3PrefixPasses(Duration pollInterval, LongSupplier nanoClock) {
        this.pollInterval = pollInterval;
        this.nanoClock = nanoClock;
    }

    /** A poll begins only once the pass before has ended {@code pollInterval} ago. */
    @Override
    public boolean begin(Consumer consumer, Endpoint endpoint) {
        return !paced || nanoClock.getAsLong() - nextPassNanos >= 0;
    }

    /** The listing ended: the pass ends with the object it listed last, the next begins a poll interval from now. */
    void passEnded() {
        nextPassNanos = nanoClock.getAsLong() + pollInterval.toNanos();
        paced = true;
    }

    /** The consumer's client: {@code s3} (looked up at its first call), telling this when a listing ends. */
    public S3Client watching(Supplier<S3Client> s3) {
        return new Watching(s3);
    }

    /** The client, as far as the consumer uses it: the bucket's check at its start, the listing and the GET. */
    private final class Watching implements S3Client {

        private final Supplier<S3Client> s3;

        Watching(Supplier<S3Client> s3) {
            this.s3 = s3;
        }

        @Override
        public HeadBucketResponse headBucket(HeadBucketRequest request) {
            return s3.get().headBucket(request);
        }

        @Override
        public ListObjectsResponse listObjects(ListObjectsRequest request) {
            ListObjectsResponse listing;
            try {
                listing = s3.get().listObjects(request);
            } catch (RuntimeException e) {
                // a bucket that is not there, a role that may not list it: said once a poll interval, not every tick
                passEnded();
                throw e;
            }
            if (!Boolean.TRUE.equals(listing.isTruncated())) {
                passEnded();
            }
            return listing;
        }

        @Override
        public <T> T getObject(GetObjectRequest request, ResponseTransformer<GetObjectResponse, T> transformer) {
            return s3.get().getObject(request, transformer);
        }

        @Override
        public ResponseInputStream<GetObjectResponse> getObject(GetObjectRequest request) {
            return s3.get().getObject(request);
        }

        @Override
        public S3ServiceClientConfiguration serviceClientConfiguration() {
            return s3.get().serviceClientConfiguration();
        }

        @Override
        public String serviceName() {
            return SERVICE_NAME;
        }

        @Override
        public void close() {
            // the pipeline's client is closed by the S3 start-up step that made it
        }
    }
}
