package observe;

import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * Ready only while the AWS default credentials chain resolves credentials (aws profile); it names the provider's
 * complaint, never a key.
 */
public final class AwsCredentialsHealthCheck extends AbstractHealthCheck {

    private final AwsCredentialsProvider credentials;

    public AwsCredentialsHealthCheck(AwsCredentialsProvider credentials) {
        super("pipeline", "aws-credentials");
        this.credentials = credentials;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        try {
            credentials.resolveCredentials();
            builder.up();
        } catch (SdkClientException e) {
            builder.message("no AWS credentials from the default chain: " + e.getMessage()).down();
        }
    }
}
