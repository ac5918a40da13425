package config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * Every {@code pipeline.*} key given must be a setting: a misspelt one is a problem naming the closest setting, a
 * dataset's own value of a setting no dataset may set says why, one for a dataset {@code pipeline.datasets} does not
 * list says it would be ignored; an environment variable is read back as Camel reads it, and one like no setting is
 * only a warning.
 */
class MisspeltSettingsAreNamedWithTheClosestTest {

    @Test
    void aMisspeltKeyIsNamedWithTheSettingMeant() {
        assertEquals(List.of("pipeline.convert.shema is not a setting; did you mean pipeline.convert.schema?",
                        "pipeline.tabel.mode is not a setting; did you mean pipeline.table.mode?",
                        // Camel's lookup is case-sensitive: this one would be ignored too
                        "pipeline.convert.onbadrow is not a setting; did you mean pipeline.convert.onBadRow?",
                        "pipeline.frobnicate is not a setting (docs/configuration.md lists them)"),
                problems(keys("pipeline.convert.shema", "pipeline.tabel.mode", "pipeline.convert.onbadrow",
                        "pipeline.frobnicate", "pipeline.table.name", "camel.main.name", "java.home"), List.of()));
    }

    @Test
    void aDatasetsKeyIsCheckedAgainstTheSettingsADatasetMaySet() {
        List<String> problems = problems(keys("pipeline.dataset.orders.table.name",
                "pipeline.dataset.orders.tabel.mode", "pipeline.dataset.orders.s3.bucket",
                "pipeline.dataset.orders.maxConcurrentRuns", "pipeline.dataset.trips.table.mode",
                "pipeline.dataset.orders.s3.key"), List.of("products", "orders"));

        assertEquals(List.of(
                "pipeline.dataset.orders.tabel.mode is not a setting; did you mean pipeline.dataset.orders.table.mode?",
                "pipeline.dataset.orders.s3.bucket: a dataset cannot have its own pipeline.s3.bucket (one S3 client"
                        + " and bucket serve every dataset); set pipeline.s3.bucket",
                "pipeline.dataset.orders.maxConcurrentRuns: a dataset cannot have its own pipeline.maxConcurrentRuns"
                        + " (it is a setting of the whole process); set pipeline.maxConcurrentRuns",
                "pipeline.dataset.trips.table.mode is for dataset trips, which pipeline.datasets (products,orders)"
                        + " does not list, so it would be ignored: add trips to pipeline.datasets"), problems);
    }

    @Test
    void withoutDatasetsADatasetsKeyWouldBeIgnored() {
        assertEquals(List.of("pipeline.dataset.trips.tabel.mode is not a setting; did you mean"
                        + " pipeline.dataset.trips.table.mode? (and list trips in pipeline.datasets, which is empty: a"
                        + " dataset it does not list is not read)",
                        "pipeline.dataset.trips.table.name is for dataset trips, but pipeline.datasets is empty, so it"
                        + " would be ignored: set pipeline.table.name for the one dataset, or list trips in"
                        + " pipeline.datasets"),
                problems(keys("pipeline.dataset.trips.tabel.mode", "pipeline.dataset.trips.table.name"), List.of()));
    }

    @Test
    void environmentVariablesAreReadBackAsCamelReadsThem() {
        SettingNames.Check check = SettingNames.check(new SettingNames.Given(Map.of(), List.of(
                "PIPELINE_CONVERT_ONBADROW", "PIPELINE_DATASET_BIKE_TRIPS_TABLE_NAME", "PIPELINE_CONVERT_SHEMA",
                "PIPELINE_CONVERTONBADROW", "PIPELINE_DATASET_ORDERS_S3_REGION", "PIPELINE_WORKSPACE")),
                List.of("bike_trips", "orders"));

        assertEquals(List.of(
                "environment variable PIPELINE_CONVERT_SHEMA is not a setting; did you mean PIPELINE_CONVERT_SCHEMA"
                        + " (pipeline.convert.schema)?",
                // Camel would not read it: the underscore between the words is missing
                "environment variable PIPELINE_CONVERTONBADROW is not a setting; did you mean"
                        + " PIPELINE_CONVERT_ONBADROW (pipeline.convert.onBadRow)?",
                "environment variable PIPELINE_DATASET_ORDERS_S3_REGION (pipeline.dataset.orders.s3.region): a"
                        + " dataset cannot have its own pipeline.s3.region (one S3 client and bucket serve every"
                        + " dataset); set pipeline.s3.region"), check.problems());
        // another program's variable (a CI system's): the environment is shared, so it is not refused
        assertEquals(1, check.warnings().size(), check.warnings().toString());
        assertTrue(check.warnings().get(0).startsWith("environment variable PIPELINE_WORKSPACE names no setting"),
                check.warnings().toString());
    }

    @Test
    void everySettingOfApplicationPropertiesIsKnown() {
        assertTrue(SettingNames.settings().size() > 100, SettingNames.settings().toString());
        assertEquals(List.of(), problems(keysOf(SettingNames.settings()), List.of()));
    }

    private static List<String> problems(Map<String, String> keys, List<String> datasets) {
        return SettingNames.check(new SettingNames.Given(keys, List.of()), datasets).problems();
    }

    private static Map<String, String> keys(String... keys) {
        return keysOf(List.of(keys));
    }

    private static Map<String, String> keysOf(java.util.Collection<String> keys) {
        Map<String, String> given = new LinkedHashMap<>();
        keys.forEach(key -> given.put(key, "-D"));
        return given;
    }
}
