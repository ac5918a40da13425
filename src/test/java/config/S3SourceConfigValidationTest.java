package config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/**
 * pipeline.s3source.*: off while the URL is empty; .done/ and .failed/ beside the objects by default; a URL that is not
 * s3://, a done or failed prefix whose objects would be read again, a URL shared by several datasets, and tag mode on
 * the embedded S3 server (which keeps no tags) are named.
 */
class S3SourceConfigValidationTest {

    @Test
    void offWhileTheUrlIsEmpty() {
        Settings s = settings(Map.of());

        assertEquals(Optional.empty(), S3SourceConfig.load(s, Datasets.load(s)));
        assertEquals(List.of(), s.problems());
    }

    @Test
    void defaultsMoveToDoneAndFailedBesideTheObjects() {
        Settings s = settings(Map.of("pipeline.s3source.url", "s3://landing/trips/"));

        S3SourceConfig config = S3SourceConfig.load(s, Datasets.load(s)).orElseThrow();

        assertEquals(List.of(), s.problems());
        assertEquals("landing", config.bucket());
        assertEquals("trips/", config.prefix());
        assertEquals(S3SourceConfig.AfterRun.MOVE, config.afterRun());
        assertEquals(Duration.ofSeconds(30), config.pollInterval());
        assertEquals("trips/.done/2026-12-07.csv.gz", config.movedKey("trips/2026-12-07.csv.gz", config.donePrefix()));
        assertEquals("trips/.failed/2026-12-07.csv.gz",
                config.movedKey("trips/2026-12-07.csv.gz", config.failedPrefix()));
        assertEquals("s3://landing/trips/x.csv", config.uri("trips/x.csv"));
    }

    @Test
    void aPrefixThatIsNoFolderKeepsItsFolder() {
        Settings s = settings(Map.of("pipeline.s3source.url", "s3://landing/exports/trips-"));

        S3SourceConfig config = S3SourceConfig.load(s, Datasets.load(s)).orElseThrow();

        assertEquals("exports/trips-", config.prefix());
        assertEquals("exports/.done/trips-1.csv", config.movedKey("exports/trips-1.csv", config.donePrefix()));
    }

    @Test
    void badValuesAreNamedWithTheirProperty() {
        assertProblem(Map.of("pipeline.s3source.url", "https://landing/trips/"),
                "pipeline.s3source.url must be s3://<bucket>/<prefix>, was https://landing/trips/");
        assertProblem(Map.of("pipeline.s3source.url", "s3://landing/trips/", "pipeline.s3source.afterRun", "tags"),
                "pipeline.s3source.afterRun must be one of");
        assertProblem(Map.of("pipeline.s3source.url", "s3://landing/trips/", "pipeline.s3source.afterRun", "tag",
                "pipeline.s3.embedded", "true"), "pipeline.s3source.afterRun=tag needs an S3 that keeps object tags");
        assertProblem(Map.of("pipeline.s3source.url", "s3://landing/trips/",
                "pipeline.s3source.donePrefix", "trips/done-"),
                "pipeline.s3source.donePrefix must not be read as part of pipeline.s3source.url");
        assertProblem(Map.of("pipeline.s3source.url", "s3://landing/trips/",
                "pipeline.s3source.failedPrefix", "/failed/"),
                "pipeline.s3source.failedPrefix must be a key prefix");
        assertProblem(Map.of("pipeline.datasets", "products,orders", "pipeline.s3source.url", "s3://landing/trips/"),
                "pipeline.s3source.url is read for a single dataset");
        assertProblem(Map.of("pipeline.datasets", "products,orders",
                "pipeline.dataset.orders.s3source.url", "s3://landing/orders/"),
                "pipeline.dataset.orders.s3source.url is not read");
    }

    @Test
    void tagIsReadWithARealS3() {
        Settings s = settings(Map.of("pipeline.s3source.url", "s3://landing/trips/", "pipeline.s3source.afterRun", "tag",
                "pipeline.s3.embedded", "false"));

        S3SourceConfig config = S3SourceConfig.load(s, Datasets.load(s)).orElseThrow();

        assertEquals(S3SourceConfig.AfterRun.TAG, config.afterRun());
        assertEquals(List.of(), s.problems());
    }

    private static void assertProblem(Map<String, String> values, String expected) {
        Settings s = settings(values);
        S3SourceConfig.load(s, Datasets.load(s));
        assertTrue(s.problems().stream().anyMatch(p -> p.startsWith(expected)), expected + " in " + s.problems());
    }

    private static Settings settings(Map<String, String> values) {
        return new Settings(key -> Optional.ofNullable(values.get(key)));
    }
}
