package emr;

import java.net.URI;
import java.util.Optional;

import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.emr.EmrClient;
import software.amazon.awssdk.services.s3.S3Client;

/** SDK clients for the EMR stage: the default credentials chain, an optional region and endpoint override (moto). */
public final class AwsClients {

    private AwsClients() {
    }

    public static EmrClient emr(Optional<String> region, Optional<URI> endpoint) {
        var builder = EmrClient.builder();
        region.map(Region::of).ifPresent(builder::region);
        endpoint.ifPresent(builder::endpointOverride);
        return builder.build();
    }

    /** Path-style addressing when an endpoint is overridden: local servers have no per-bucket host names. */
    public static S3Client s3(Optional<String> region, Optional<URI> endpoint) {
        var builder = S3Client.builder();
        region.map(Region::of).ifPresent(builder::region);
        endpoint.ifPresent(e -> builder.endpointOverride(e).forcePathStyle(true));
        return builder.build();
    }
}
