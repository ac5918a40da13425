package s3;

import java.util.concurrent.CompletableFuture;

import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.scheme.AwsV4AuthScheme;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.AsyncSignRequest;
import software.amazon.awssdk.http.auth.spi.signer.AsyncSignedRequest;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;
import software.amazon.awssdk.identity.spi.IdentityProviders;

/**
 * SigV4 for the embedded S3 server: every request signed as usual, its body not. Over plain HTTP the SDK signs each
 * chunk of a body with SHA-256, which the server checks again: for a 77 MB Parquet file that doubled the upload's
 * time. On the loopback the body cannot be changed on its way, and the CRC32 trailer still guards it; the request
 * itself (method, key, headers, the made-up credentials) stays signed. The default signer is asked to sign the
 * request as if it went over HTTPS, where S3 leaves the payload unsigned, and the request goes out over HTTP.
 */
final class LoopbackPayloadSigning implements AwsV4AuthScheme {

    private final AwsV4AuthScheme sigV4 = AwsV4AuthScheme.create();

    @Override
    public String schemeId() {
        return sigV4.schemeId();
    }

    @Override
    public IdentityProvider<AwsCredentialsIdentity> identityProvider(IdentityProviders providers) {
        return sigV4.identityProvider(providers);
    }

    @Override
    public AwsV4HttpSigner signer() {
        AwsV4HttpSigner signer = sigV4.signer();
        return new AwsV4HttpSigner() {
            @Override
            public SignedRequest sign(SignRequest<? extends AwsCredentialsIdentity> request) {
                SdkHttpRequest http = request.request();
                SignedRequest signed = signer.sign(request.copy(r -> r.request(overHttps(http))));
                return signed.copy(r -> r.request(signed.request().toBuilder().protocol(http.protocol()).build()));
            }

            @Override
            public CompletableFuture<AsyncSignedRequest> signAsync(
                    AsyncSignRequest<? extends AwsCredentialsIdentity> request) {
                SdkHttpRequest http = request.request();
                return signer.signAsync(request.copy(r -> r.request(overHttps(http)))).thenApply(signed -> signed.copy(
                        r -> r.request(signed.request().toBuilder().protocol(http.protocol()).build())));
            }
        };
    }

    /** The same request on the same port, as HTTPS: the Host header the signer derives from it is the same. */
    private static SdkHttpRequest overHttps(SdkHttpRequest request) {
        return request.toBuilder().protocol("https").port(request.port()).build();
    }
}
