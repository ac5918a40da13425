package athena;

import java.util.Optional;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The line logged when an Athena query ends points at the query in the console of its region. */
class AthenaConsoleUrlTest {

    @Test
    void namesTheQueryInItsRegionsConsole() {
        assertEquals(": https://ap-southeast-1.console.aws.amazon.com/athena/home"
                     + "#/query-editor/history/5f1c-42", AthenaQueries.consoleUrl(Optional.of("ap-southeast-1"), "5f1c-42"));
        assertEquals("", AthenaQueries.consoleUrl(Optional.empty(), "5f1c-42"));
    }
}
