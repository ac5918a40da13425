package core;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** A run's dataset and id go with the work it hands to another thread, and leave that thread when the work ends. */
class RunLogContextTest {

    @AfterEach
    void endTheRun() {
        RunLogContext.end();
    }

    @Test
    void aTaskHandedToAnotherThreadCarriesTheRunAndLeavesItThere() throws Exception {
        RunLogContext.begin("products", "20260101-000000-abcd");
        CompletableFuture<Map<String, String>> seen = new CompletableFuture<>();
        CompletableFuture<Map<String, String>> after = new CompletableFuture<>();
        Runnable task = RunLogContext.carried(() -> seen.complete(MDC.getCopyOfContextMap()));

        Thread worker = new Thread(() -> {
            task.run();
            after.complete(MDC.getCopyOfContextMap());
        });
        worker.start();
        worker.join();

        assertEquals(Map.of("dataset", "products", "runId", "20260101-000000-abcd"), seen.get());
        Map<String, String> left = after.get();
        assertEquals(Map.of(), left == null ? Map.of() : left);
        RunLogContext.end();
        assertNull(MDC.get(RunLogContext.RUN_ID));
    }
}
