package source;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import core.BadInputException;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the inbox refuses, on a real file system: a link unless {@code pipeline.inbox.followLinks=true}, a FIFO, a
 * socket, a name with control characters and a name over 223 bytes; a plain file with a plain name always passes.
 */
class InboxFileCheckTest {

    @TempDir
    Path dir;

    @Test
    void linksAreRefusedUnlessFollowed() throws Exception {
        Path target = Files.writeString(dir.resolve("outside.csv"), "a\n");
        Path link = Files.createSymbolicLink(dir.resolve("link.csv"), target);

        String refused = refusal(new InboxFileCheck(false), link);
        assertTrue(refused.contains("pipeline.inbox.followLinks=true"), refused);
        assertDoesNotThrow(() -> new InboxFileCheck(true).process(exchangeFor(link)));
        assertDoesNotThrow(() -> new InboxFileCheck(false).process(exchangeFor(target)));
    }

    @Test
    void aFifoIsRefusedWithoutBeingOpened() throws Exception {
        Path fifo = dir.resolve("pipe.csv");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertTrue(mkfifo.waitFor(30, TimeUnit.SECONDS), "mkfifo did not end");
        assertEquals(0, mkfifo.exitValue(), "mkfifo " + fifo);

        String refused = refusal(new InboxFileCheck(false), fifo);

        assertTrue(refused.contains("is not a regular file but a FIFO (named pipe)"), refused);
    }

    @Test
    void aSocketIsRefused() throws Exception {
        Path socket = dir.resolve("sock.csv");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
        }

        String refused = refusal(new InboxFileCheck(false), socket);

        assertTrue(refused.contains("is not a regular file but a socket"), refused);
    }

    @Test
    void namesWithControlCharactersAreRefusedAndShownEscaped() throws Exception {
        Path odd = Files.writeString(dir.resolve("two\nlines.csv"), "a\n");

        String refused = refusal(new InboxFileCheck(false), odd);

        assertTrue(refused.contains("two\\nlines.csv has control characters in its name"), refused);
    }

    @Test
    void namesLongerThan223BytesAreRefused() throws Exception {
        Path longest = Files.writeString(dir.resolve("a".repeat(219) + ".csv"), "a\n");
        Path tooLong = Files.writeString(dir.resolve("é".repeat(110) + ".csv"), "a\n");

        assertDoesNotThrow(() -> new InboxFileCheck(false).process(exchangeFor(longest)));
        String refused = refusal(new InboxFileCheck(false), tooLong);
        assertTrue(refused.contains("has a name of 224 bytes, refused: the inbox takes names of up to 223 bytes"),
                refused);
    }

    private static String refusal(InboxFileCheck check, Path file) {
        return assertThrows(BadInputException.class, () -> check.process(exchangeFor(file))).getMessage();
    }

    private static Exchange exchangeFor(Path file) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getIn().setHeader(Exchange.FILE_PATH, file.toString());
        return exchange;
    }
}
