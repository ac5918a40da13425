package s3;

import config.S3Config;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.endpoints.S3EndpointProvider;

/** Builds the one S3 client that the upload route and the load stage share. */
public final class S3Clients {

    private S3Clients() {
    }

    /** Against AWS, or any S3-compatible endpoint: credentials from the AWS default chain only. */
    public static S3Client forAws(S3Config config) {
        return builder(config, DefaultCredentialsProvider.builder().build()).build();
    }

    /** Against the embedded server, with the credentials it made up at start; bodies unsigned on the loopback. */
    public static S3Client forEmbedded(S3Config config, EmbeddedS3Server server) {
        return embedded(config, server).endpointOverride(server.endpoint()).build();
    }

    /**
     * Against the embedded server, through {@code endpoints}: a client made before the server listens, whose
     * endpoint (the server's port) is resolved at each request.
     */
    public static S3Client forEmbedded(S3Config config, EmbeddedS3Server server, S3EndpointProvider endpoints) {
        return embedded(config, server).endpointProvider(endpoints).build();
    }

    /** The embedded server's credentials and path-style addresses, requests signed but not their bodies. */
    static S3ClientBuilder embedded(S3Config config, EmbeddedS3Server server) {
        return builder(config, StaticCredentialsProvider.create(server.credentials()))
                .putAuthScheme(new LoopbackPayloadSigning())
                .forcePathStyle(true);
    }

    private static S3ClientBuilder builder(S3Config config, AwsCredentialsProvider credentials) {
        S3ClientBuilder builder = S3Client.builder()
                .region(Region.of(config.region()))
                .credentialsProvider(credentials)
                .forcePathStyle(config.pathStyle());
        config.endpoint().ifPresent(builder::endpointOverride);
        return builder;
    }
}
