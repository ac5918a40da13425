package source;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import core.BadInputException;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Refuses a symbolic link dropped in the inbox, unless {@code pipeline.inbox.followLinks=true}: a link can point
 * anywhere the app may read, outside the data folder too. The run fails and the link itself goes to {@code .failed/}.
 */
public final class InboxLinkCheck implements Processor {

    private final boolean followLinks;

    public InboxLinkCheck(boolean followLinks) {
        this.followLinks = followLinks;
    }

    @Override
    public void process(Exchange exchange) throws IOException {
        Path file = Path.of(exchange.getIn().getHeader(Exchange.FILE_PATH, String.class));
        if (!followLinks && Files.isSymbolicLink(file)) {
            throw new BadInputException(file + " is a symbolic link (to " + Files.readSymbolicLink(file)
                    + "), refused; set pipeline.inbox.followLinks=true to read the files links point to");
        }
    }
}
