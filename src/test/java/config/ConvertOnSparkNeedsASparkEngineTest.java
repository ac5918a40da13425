package config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** pipeline.convert.on: spark and auto need a Spark engine, which the start-up says naming the setting; auto's size. */
class ConvertOnSparkNeedsASparkEngineTest {

    private final Map<String, String> properties = new HashMap<>(Map.of("pipeline.data.dir", "/srv/p",
            "pipeline.s3.bucket", "s3-general-purpose-ecommerce"));

    private Settings settings() {
        return new Settings(key -> Optional.ofNullable(properties.get(key)));
    }

    @Test
    void sparkWithTheEmbeddedEngineIsRefusedNamingTheSettings() {
        properties.put("pipeline.convert.on", "spark");
        Settings s = settings();

        Datasets.load(s);

        assertEquals(List.of("pipeline.convert.on=spark needs a Spark engine that converts the CSV"
                + " (pipeline.engine=spark-submit, emr or emr-serverless), was pipeline.engine=embedded; set"
                + " pipeline.convert.on=app"),
                s.problems());
    }

    @Test
    void everySparkEngineTakesIt() {
        for (String engine : List.of("spark-submit", "emr", "emr-serverless")) {
            properties.put("pipeline.convert.on", "auto");
            properties.put("pipeline.engine", engine);
            Settings s = settings();

            Datasets.load(s);

            assertTrue(s.problems().stream().noneMatch(problem -> problem.contains("pipeline.convert.on")),
                       engine + ": " + s.problems());
        }
    }

    @Test
    void autoConvertsOnSparkAboveTheSizeOnly() {
        properties.put("pipeline.convert.on", "auto");
        properties.put("pipeline.convert.sparkAbove", "10MB");
        properties.put("pipeline.engine", "spark-submit");
        properties.put("pipeline.spark.sparkSubmit", "/bin/sh");
        Settings s = settings();

        ConvertConfig convert = Datasets.load(s).all().get(0).convert();

        assertEquals(List.of(), s.problems());
        assertFalse(convert.onSpark(10L << 20));
        assertTrue(convert.onSpark((10L << 20) + 1));
    }

    @Test
    void aBadValueIsNamed() {
        properties.put("pipeline.convert.on", "cluster");
        Settings s = settings();

        Datasets.load(s);

        assertTrue(s.problems().stream().anyMatch(p -> p.startsWith("pipeline.convert.on must be one of")),
                s.problems().toString());
    }
}
