package logs;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code %maskedMsg} masks Camel's property listing by property name, other messages by content, and escapes controls. */
class MaskedMessageConverterTest {

    @Test
    void propertyListingLinesAreMaskedByName() {
        assertEquals("    [JVM System Property]   pipeline.source.headers = X-T=***",
                MaskedMessageConverter.mask("    [JVM System Property]   pipeline.source.headers = X-T={{env:TOKEN}}"));
        assertEquals("[application.properties] pipeline.source.url = https://h/p.csv?***",
                MaskedMessageConverter.mask("[application.properties] pipeline.source.url = https://h/p.csv?t=1"));
    }

    @Test
    void otherMessagesAreMaskedByContentAndKeepTheirLines() {
        assertEquals("failed invoking http://***@h/p.csv?***\nnext line \\u001b[0m",
                MaskedMessageConverter.mask("failed invoking http://u:p@h/p.csv?t=1\nnext line \u001b[0m"));
    }
}
