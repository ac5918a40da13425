package convert;

import core.ConversionResult;
import core.Pipeline;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import config.ConvertConfig;
import core.Pipeline;
import config.Settings;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Test support: runs a CSV file through the convert stage's real Camel route; support.ParquetFiles reads it back. */
public final class ConvertStage {

    static final String PRODUCTS_SCHEMA = "classpath:schemas/products.avsc";
    static final String PRODUCTS_HEADER = "product_id,product_name,product_category,brand\n";

    private final Path dir;
    private final Map<String, String> settings = new HashMap<>();
    private Schema schema = AvroSchemas.load(PRODUCTS_SCHEMA);

    public ConvertStage(Path dir) {
        this.dir = dir;
    }

    /** The stage on {@code parser} ({@code pipeline.convert.parser}). */
    ConvertStage(Path dir, String parser) {
        this(dir);
        with("pipeline.convert.parser", parser);
    }

    public ConvertStage with(String key, String value) {
        settings.put(key, value);
        return this;
    }

    public ConvertStage schema(String json) throws IOException {
        Path file = dir.resolve("schema-" + settings.size() + "-" + System.nanoTime() + ".avsc");
        Files.writeString(file, json);
        schema = AvroSchemas.load(file.toString());
        return this;
    }

    Schema schema() {
        return schema;
    }

    Path workDir() {
        return dir.resolve("work");
    }

    ConvertConfig config() {
        Settings s = new Settings(key -> Optional.ofNullable(settings.get(key)));
        ConvertConfig config = ConvertConfig.from(s);
        s.validate();
        return config;
    }

    public Path csv(String content) throws IOException {
        return bytes(content.getBytes(StandardCharsets.UTF_8));
    }

    public Path bytes(byte[] content) throws IOException {
        Path file = dir.resolve("input-" + System.nanoTime() + ".csv");
        Files.write(file, content);
        return file;
    }

    /** Sends {@code csv} through the route and returns the finished exchange. */
    Exchange run(Path csv) throws Exception {
        ConvertConfig config = config();
        ParquetWriterProcessor writer = new ParquetWriterProcessor(config, schema, workDir());
        try (CamelContext context = new DefaultCamelContext()) {
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    // stream caching would read the whole file into memory before the CSV is parsed
                    from("direct:convert").routeId("convert").noStreamCaching()
                            .process(e -> e.getIn().setBody(
                                    CsvBytes.open(csv, config.charset(), config.maxInputBytes())))
                            .unmarshal(CsvFormats.dataFormat(config))
                            .process(writer);
                }
            });
            context.start();
            return context.createProducerTemplate().send("direct:convert", e -> { });
        }
    }

    /**
     * Sends {@code csv} through the convert route as it runs without a schema: inferred from the CSV, then converted
     * as many times as widening asks for, as the pipeline's convert route loops; returns the finished exchange.
     */
    Exchange runInferred(Path csv) throws Exception {
        ConvertConfig config = config();
        ParquetWriterProcessor writer = new ParquetWriterProcessor(config, null, workDir());
        try (CamelContext context = new DefaultCamelContext()) {
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:infer").routeId("infer")
                            .process(new SchemaInference(config, null))
                            .loopDoWhile(exchangeProperty(ConversionResult.PROPERTY).isNull())
                                .to("direct:convert")
                            .end();
                    from("direct:convert").routeId("convert").noStreamCaching()
                            .process(e -> e.getIn().setBody(
                                    CsvBytes.open(csv, config.charset(), config.maxInputBytes())))
                            .unmarshal(CsvFormats.dataFormat(config))
                            .process(writer);
                }
            });
            context.start();
            return context.createProducerTemplate().send("direct:infer",
                    e -> e.setProperty(Pipeline.INPUT_FILE, csv));
        }
    }

    /** The schema inferred from {@code csv}'s first {@code sampleRows} rows. */
    InferredSchema infer(Path csv, int sampleRows) throws Exception {
        return SchemaInference.infer(csv, config(), sampleRows);
    }

    /** Converts {@code csv}, which must succeed, and checks the body and the result agree. */
    public ConversionResult convert(Path csv) throws Exception {
        Exchange exchange = run(csv);
        assertNull(exchange.getException(), () -> "conversion failed: " + exchange.getException());
        ConversionResult result = exchange.getProperty(ConversionResult.PROPERTY, ConversionResult.class);
        assertNotNull(result);
        assertEquals(result.parquetFile(), exchange.getIn().getBody(Path.class));
        assertEquals(Files.size(result.parquetFile()), result.parquetBytes());
        return result;
    }

    /** Converts {@code csv}, which must fail with {@code type}, and checks no new file was left in the work folder. */
    public <T extends Throwable> T fail(Path csv, Class<T> type) throws Exception {
        List<Path> before = workFiles();
        Exchange exchange = run(csv);
        T failure = assertInstanceOf(type, exchange.getException());
        assertEquals(before, workFiles(), "files left behind after a failure");
        return failure;
    }

    /** Converts {@code csv}, which must find nothing to load: returns why, having checked no file was left behind. */
    String skipped(Path csv) throws Exception {
        List<Path> before = workFiles();
        Exchange exchange = run(csv);
        assertNull(exchange.getException(), () -> "conversion failed: " + exchange.getException());
        assertEquals(before, workFiles(), "files left behind by a conversion that found nothing to load");
        return exchange.getProperty(Pipeline.SKIPPED, String.class);
    }

    private List<Path> workFiles() throws IOException {
        if (!Files.isDirectory(workDir())) {
            return List.of();
        }
        try (var files = Files.list(workDir())) {
            return files.sorted().toList();
        }
    }

    /** A field read back as text (Avro hands strings back as Utf8). */
    static String text(GenericRecord record, String field) {
        Object value = record.get(field);
        return value == null ? null : value.toString();
    }
}
