package logging;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import config.GivenSettings;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Before Camel reads any setting, the secret parts of the settings are known as given and as resolved: each value of
 * a headers setting, a value whose name says secret, and what each {@code {{env:...}}}, {@code {{sys:...}}} or
 * {@code {{other.setting}}} in them resolves to, from any source; other settings' values are not.
 */
class SecretSettingsTest {

    @Test
    void headerValuesAndWhatTheirPlaceholdersResolveToAreSecret() {
        Properties files = new Properties();
        files.setProperty("pipeline.source.headers", "");
        files.setProperty("pipeline.dataset", "products");
        files.setProperty("my.token.holder", "from-another-setting-1");
        Map<String, String> system = Map.of(
                "pipeline.source.headers", "Authorization=Bearer {{env:SOURCE_TOKEN}},X-Api-Key=literal-key-2",
                "pipeline.dataset.orders.source.headers", "X-Other={{my.token.holder}}",
                "pipeline.source.url", "https://h/p.csv");
        Map<String, String> environment = Map.of(
                "SOURCE_TOKEN", "env-function-3",
                "PIPELINE_ATHENA_SECRETACCESSKEY", "env-secret-4",
                "PATH", "/usr/bin");

        List<String> remembered = remembered(files, system, environment);

        for (String secret : List.of("env-function-3", "Bearer env-function-3", "literal-key-2", "from-another-setting-1",
                "env-secret-4")) {
            assertTrue(remembered.contains(secret), secret + " is not known as secret: " + remembered);
        }
        for (String plain : List.of("products", "https://h/p.csv", "/usr/bin")) {
            assertFalse(remembered.contains(plain), plain + " is taken for a secret: " + remembered);
        }
    }

    @Test
    void aPlaceholdersDefaultIsWhatItResolvesToWhenItsVariableIsUnset() {
        List<String> remembered = remembered(new Properties(), Map.of(),
                Map.of("PIPELINE_SOURCE_HEADERS", "A={{env:MISSING:fallback-6}}"));

        assertTrue(remembered.contains("fallback-6"), remembered.toString());
    }

    private static List<String> remembered(Properties files, Map<String, String> system, Map<String, String> environment) {
        List<String> remembered = new ArrayList<>();
        new SecretSettings(new GivenSettings(files, new Properties(), system, environment), remembered::add).rememberAll();
        return remembered;
    }
}
