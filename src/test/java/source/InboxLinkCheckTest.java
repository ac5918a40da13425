package source;

import java.nio.file.Files;
import java.nio.file.Path;

import core.BadInputException;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A link in the inbox is refused by default and read with {@code pipeline.inbox.followLinks=true}; a file always is. */
class InboxLinkCheckTest {

    @TempDir
    Path dir;

    @Test
    void linksAreRefusedUnlessFollowed() throws Exception {
        Path target = Files.writeString(dir.resolve("outside.csv"), "a\n");
        Path link = Files.createSymbolicLink(dir.resolve("link.csv"), target);

        BadInputException refused = assertThrows(BadInputException.class,
                () -> new InboxLinkCheck(false).process(exchangeFor(link)));
        assertTrue(refused.getMessage().contains("pipeline.inbox.followLinks=true"), refused.getMessage());
        assertDoesNotThrow(() -> new InboxLinkCheck(true).process(exchangeFor(link)));
        assertDoesNotThrow(() -> new InboxLinkCheck(false).process(exchangeFor(target)));
    }

    private static Exchange exchangeFor(Path file) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getIn().setHeader(Exchange.FILE_PATH, file.toString());
        return exchange;
    }
}
