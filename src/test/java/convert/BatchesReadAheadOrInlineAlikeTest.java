package convert;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import core.BadInputException;
import config.ConvertConfig;
import config.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The byte tokenizer's batches are the same whether they are read ahead on their own thread (more than two cores) or
 * on the consumer's thread (two): every record in order, then the parse failure after the records before it.
 */
class BatchesReadAheadOrInlineAlikeTest {

    private static final ConvertConfig.Limits LIMITS =
            ConvertConfig.from(new Settings(key -> Optional.empty())).limits();

    @Test
    void sameRecordsThenTheSameFailure() throws Exception {
        StringBuilder csv = new StringBuilder("id,name\n");
        for (int i = 1; i <= 30_000; i++) {
            csv.append(i).append(",\"name, ").append(i).append("\"\n");
        }
        csv.append("30001,\"never closed\n");
        byte[] bytes = csv.toString().getBytes(StandardCharsets.UTF_8);

        List<String> inline = new ArrayList<>();
        BadInputException inlineFailure =
                assertThrows(BadInputException.class, () -> readAll(bytes, false, inline));
        List<String> ahead = new ArrayList<>();
        BadInputException aheadFailure =
                assertThrows(BadInputException.class, () -> readAll(bytes, true, ahead));

        assertEquals(30_001, inline.size());
        assertEquals("30001: [30000, name, 30000]", inline.get(30_000));
        assertEquals(inline, ahead);
        assertEquals(inlineFailure.getMessage(), aheadFailure.getMessage());
        assertEquals("unterminated quoted field starting on line 30002", inlineFailure.getMessage());
    }

    /**
     * Batches closed by a failed attempt are never read again, read ahead or not: a redelivery that got them fails at
     * once instead of waiting for ever on a queue no reader fills.
     */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void closedBatchesFailAtOnce(boolean readAhead) throws Exception {
        byte[] bytes = "id,name\n1,a\n".getBytes(StandardCharsets.UTF_8);
        Utf8CsvTokenizer tokenizer = new Utf8CsvTokenizer(new ByteArrayInputStream(bytes), ',', '"',
                LIMITS);
        CsvBatches batches = new CsvBatches(tokenizer::fill, tokenizer, '"', readAhead);
        batches.release(batches.next());
        batches.close();

        IllegalStateException e = assertThrows(IllegalStateException.class, batches::next);
        assertEquals("the CSV batches are closed; a retry must open the input again", e.getMessage());
    }

    private static void readAll(byte[] bytes, boolean readAhead, List<String> records) throws Exception {
        Utf8CsvTokenizer tokenizer = new Utf8CsvTokenizer(new ByteArrayInputStream(bytes), ',', '"',
                LIMITS);
        try (CsvBatches batches = new CsvBatches(tokenizer::fill, tokenizer, '"', readAhead)) {
            for (CsvBatch batch = batches.next(); batch != null; batch = batches.next()) {
                for (int r = 0; r < batch.records(); r++) {
                    records.add(batch.line(r) + ": " + List.of(batch.values(r)));
                }
                batches.release(batch);
            }
        }
    }
}
