package convert;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import config.ConfigurationException;
import config.ConvertConfig;
import config.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static convert.ConvertStage.PRODUCTS_HEADER;
import static convert.ConvertStage.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static support.ParquetFiles.records;

/** The fast parser is the default; a delimiter it cannot split bytes on is a configuration error that says so. */
class ParserChoiceTest {

    @TempDir
    Path dir;

    @Test
    void fastParserIsTheDefault() {
        assertEquals(ConvertConfig.Parser.FAST, config(Map.of()).parser());
    }

    @Test
    void nonAsciiDelimiterNeedsCamelCsv() throws Exception {
        String message = assertThrows(ConfigurationException.class,
                () -> config(Map.of("pipeline.convert.delimiter", "§"))).getMessage();
        assertTrue(message.contains("pipeline.convert.parser=fast"), message);
        assertTrue(message.contains("pipeline.convert.delimiter"), message);
        assertTrue(message.contains("pipeline.convert.parser=camel-csv"), message);

        ConvertStage stage = new ConvertStage(dir)
                .with("pipeline.convert.parser", "camel-csv")
                .with("pipeline.convert.delimiter", "§");
        Path csv = stage.csv(PRODUCTS_HEADER.replace(',', '§') + "1§Lamp, desk§Home§BenQ\n");

        assertEquals("Lamp, desk", text(records(stage.convert(csv).parquetFile()).get(0), "product_name"));
    }

    private static ConvertConfig config(Map<String, String> properties) {
        Settings settings = new Settings(key -> Optional.ofNullable(properties.get(key)));
        ConvertConfig config = ConvertConfig.from(settings);
        settings.validate();
        return config;
    }
}
