package emr;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.emr.EmrClient;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The EMR wait names the cluster's page in the console of the client's region, where its steps and logs are. */
class EmrConsoleUrlTest {

    @Test
    void pointsAtTheClusterInItsRegion() {
        try (EmrClient emr = EmrClient.builder().region(Region.EU_WEST_1)
                .credentialsProvider(AnonymousCredentialsProvider.create()).build()) {
            EmrStepWaiter waiter = new EmrStepWaiter(emr, null, Duration.ofSeconds(1), Duration.ofSeconds(1));
            assertEquals("https://eu-west-1.console.aws.amazon.com/emr/home#/clusterDetails/j-2AXXXXXXGAPLF",
                    waiter.consoleUrl("j-2AXXXXXXGAPLF"));
        }
    }
}
