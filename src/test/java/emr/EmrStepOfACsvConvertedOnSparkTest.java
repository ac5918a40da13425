package emr;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import lake.LoadRequest;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.emr.model.StepSummary;

/**
 * With {@code pipeline.convert.on=spark} the EMR step's job gets the CSV as its input and the two arguments every
 * engine passes for it, the convert spec and where rejects go, after the input's identity.
 */
class EmrStepOfACsvConvertedOnSparkTest extends EmrOnMotoTest {

    @Test
    void theStepReadsTheCsvByItsConvertSpec() throws Exception {
        moto.emrMode("complete", Map.of("snapshotId", "8765309"));
        String csv = EmrTestSetup.CSV;
        LoadRequest request = EmrTestSetup.csvConvertedOnSpark();

        try (EmrLoadEngine engine = new EmrLoadEngine(EmrTestSetup.config(EmrTestSetup.properties(moto, dir)), dir,
                emr, s3)) {
            engine.load(request);

            String clusterId = emr.listClusters(b -> { }).clusters().get(0).id();
            List<StepSummary> steps = emr.listSteps(b -> b.clusterId(clusterId)).steps();
            assertEquals(1, steps.size());
            List<String> expected = new ArrayList<>(engine.command(csv).arguments());
            expected.addAll(List.of("--input-sha256", "sha-of-run-1", "--run-id", "run-1",
                    "--convert-spec", request.csv().specUri(), "--rejects", request.csv().rejectsUri()));
            assertEquals(expected, steps.get(0).config().args());
        }
    }
}
