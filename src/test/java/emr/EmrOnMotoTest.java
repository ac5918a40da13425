package emr;

import java.nio.file.Path;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.emr.EmrClient;
import software.amazon.awssdk.services.s3.S3Client;

/** An EMR test against moto in server mode: moto emptied, the general purpose bucket made, SDK clients to it. */
@ExtendWith(MotoHarness.class)
abstract class EmrOnMotoTest {

    @TempDir
    Path dir;

    MotoHarness moto;
    EmrClient emr;
    S3Client s3;

    @BeforeEach
    void startFromAnEmptyMoto(MotoHarness harness) {
        moto = harness;
        moto.reset();
        emr = moto.emr();
        s3 = moto.s3();
        EmrTestSetup.createBucket(s3);
    }
}
