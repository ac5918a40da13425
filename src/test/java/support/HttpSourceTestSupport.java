package support;

import java.util.Properties;

import org.junit.jupiter.api.AfterEach;

/**
 * The whole application with {@code pipeline.source.url} pointing at a {@link CsvHttpServer} on 127.0.0.1 and the
 * inbox off. The server is bound before the app starts but answers only once the test has said what to serve and
 * called {@code source.start()}, so the first poll always meets the test's content.
 */
public abstract class HttpSourceTestSupport extends PipelineTestSupport {

    protected static final String SOURCE_PATH = "/products.csv";

    /** Bound in {@link #testProperties()}, which the Camel test support calls from its constructor: no initializer. */
    protected CsvHttpServer source;

    /** Properties of this test on top of the HTTP source's. */
    protected Properties sourceProperties() {
        return new Properties();
    }

    @Override
    protected final Properties testProperties() {
        source = CsvHttpServer.bind();
        Properties p = new Properties();
        p.setProperty("pipeline.source.url", source.url(SOURCE_PATH));
        p.setProperty("pipeline.inbox.enabled", "false");
        p.setProperty("pipeline.source.readTimeout", "20s");
        p.putAll(sourceProperties());
        return p;
    }

    /** The app stops polling before its server goes away, so no stray failure is reported on the way out. */
    @AfterEach
    void stopAppThenSource() {
        context.stop();
        source.close();
    }

    protected String sourceUrl() {
        return source.url(SOURCE_PATH);
    }
}
