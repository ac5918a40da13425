package app;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import support.PipelineTestSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole app's inbox, given what it cannot read: a FIFO (it used to block the inbox's thread for good), a socket,
 * a 250-byte name (its {@code .camelLock} did not fit the file system: never read, a warning every poll) and a name
 * with a line break (never matched, ignored unsaid). Each ends FAILED with its reason, kept in {@code .failed/} with
 * its {@code .error.json}, and a file dropped after them loads.
 */
class InboxRefusesWhatItCannotReadTest extends PipelineTestSupport {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Override
    protected Properties testProperties() {
        return fastInbox();
    }

    @Test
    void eachIsKeptAsideWithItsReasonAndTheNextDropLoads() throws Exception {
        Files.createDirectories(inbox());
        Path fifo = inbox().resolve("pipe.csv");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertTrue(mkfifo.waitFor(30, TimeUnit.SECONDS) && mkfifo.exitValue() == 0, "mkfifo " + fifo);
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(inbox().resolve("sock.csv")));
        }
        byte[] sample = Files.readAllBytes(samplePath());
        String longName = "p".repeat(246) + ".csv";
        String twoLines = "two\nlines.csv";
        drop(longName, sample);
        drop(twoLines, sample);

        assertRefused("pipe.csv", "is not a regular file but a FIFO (named pipe)");
        assertRefused("sock.csv", "is not a regular file but a socket");
        assertRefused(longName, "has a name of 250 bytes, refused");
        assertRefused(twoLines, "two\\nlines.csv has control characters in its name");

        drop("after.csv", sample);
        JsonNode after = awaitReportOfDrop("after.csv", WAIT);
        assertEquals("SUCCEEDED", after.path("status").asText(), after.toString());
        assertEquals(20, after.path("rowsWritten").asLong(), after.toString());
        assertEquals(List.of(), filesLeftInInbox(), "nothing is left behind in the inbox");
    }

    /** The drop's run FAILED in the inbox step naming why; the entry and its sidecar with the reason are kept aside. */
    private void assertRefused(String name, String reason) throws Exception {
        JsonNode report = awaitReportOfDrop(name, WAIT);
        assertEquals("FAILED", report.path("status").asText(), report.toString());
        assertEquals("inbox", report.path("error").path("stage").asText(), report.toString());
        assertTrue(report.path("error").path("message").asText().contains(reason), report.toString());
        assertFalse(report.has("parquetUri"), "nothing may be converted: " + report);

        Sidecar sidecar = sidecarOf(name);
        assertEquals(report.path("runId").asText(), sidecar.json().path("runId").asText(), sidecar.toString());
        assertTrue(sidecar.json().path("reason").asText().contains(reason), sidecar.toString());
        assertTrue(Files.exists(inbox().resolve(".failed").resolve(sidecar.keptAs()), LinkOption.NOFOLLOW_LINKS),
                name + " is kept aside as " + sidecar.keptAs());
        assertFalse(Files.exists(inbox().resolve(name), LinkOption.NOFOLLOW_LINKS), name + " left the inbox");
    }

    /** A {@code .error.json} and the name of the file it is the sidecar of. */
    private record Sidecar(JsonNode json, String keptAs) {
    }

    /** The {@code .error.json} in {@code .failed/} whose source is {@code name} (a long name is kept shortened). */
    private Sidecar sidecarOf(String name) throws Exception {
        try (Stream<Path> files = Files.list(inbox().resolve(".failed"))) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".error.json")).toList()) {
                JsonNode sidecar = JSON.readTree(file.toFile());
                if (name.equals(sidecar.path("source").asText())) {
                    String sidecarName = file.getFileName().toString();
                    String keptAs = sidecarName.substring(0, sidecarName.length() - ".error.json".length());
                    return new Sidecar(sidecar, keptAs);
                }
            }
        }
        throw new AssertionError("no .error.json in .failed/ has the source " + name);
    }
}
