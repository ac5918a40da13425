package source;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import config.InboxConfig;
import core.BadInputException;
import core.Printable;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Refuses what was dropped in the inbox but is no file a run can read and keep aside: a symbolic link, unless
 * {@code pipeline.inbox.followLinks=true} (a link can point anywhere the app may read, outside the data folder too);
 * anything that is not a regular file (a FIFO would block the inbox's thread in its first read, a socket cannot be
 * read at all); a name with control characters; a name too long to keep beside its companions
 * ({@link InboxConfig#MAX_NAME_BYTES}). The run fails at once, its one log line and its report saying why, and the
 * entry goes to {@code .failed/} with the reason in its {@code .error.json}; the inbox goes on with the next drop.
 */
public final class InboxFileCheck implements Processor {

    private final boolean followLinks;

    public InboxFileCheck(boolean followLinks) {
        this.followLinks = followLinks;
    }

    @Override
    public void process(Exchange exchange) throws IOException {
        Path file = Path.of(exchange.getIn().getHeader(Exchange.FILE_PATH, String.class));
        String shown = Printable.escape(file.toString());
        if (!followLinks && Files.isSymbolicLink(file)) {
            throw new BadInputException(shown + " is a symbolic link (to "
                    + Printable.escape(Files.readSymbolicLink(file).toString())
                    + "), refused; set pipeline.inbox.followLinks=true to read the files links point to");
        }
        if (!Files.isRegularFile(file)) {
            throw new BadInputException(shown + " is not a regular file but " + kind(file)
                    + ", refused: the inbox reads regular files only");
        }
        String name = file.getFileName().toString();
        if (!Printable.escape(name).equals(name)) {
            throw new BadInputException(shown + " has control characters in its name, refused: rename it without"
                    + " them (line breaks, tabs, escapes)");
        }
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > InboxConfig.MAX_NAME_BYTES) {
            throw new BadInputException(shown + " has a name of " + bytes + " bytes, refused: the inbox takes names of"
                    + " up to " + InboxConfig.MAX_NAME_BYTES + " bytes, so that a file kept aside has room for its"
                    + " .<runId>.error.json within the file system's 255");
        }
    }

    /** What the entry (or the file a followed link points to) is, as {@code ls -l} would tell. */
    private static String kind(Path file) {
        if (!Files.exists(file)) {
            return "a link to nothing";
        }
        try {
            int mode = (Integer) Files.getAttribute(file, "unix:mode");
            return switch (mode & 0170000) {
                case 0010000 -> "a FIFO (named pipe)";
                case 0140000 -> "a socket";
                case 0020000, 0060000 -> "a device";
                case 0040000 -> "a folder";
                default -> "of another kind";
            };
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | ClassCastException e) {
            return "of another kind";
        }
    }
}
