package lake;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * Where a test may have the process killed (SIGKILL, nothing run after it), to show what a crash at that moment
 * leaves: only when the JVM was started with {@code -D}{@value #AFTER_DATA_COMMIT}{@code =true}, never set otherwise.
 */
final class CrashPoint {

    /** The system property that kills the process right after a load's data commit, before its ledger row. */
    static final String AFTER_DATA_COMMIT = "s3tablespipeline.test.killAfterDataCommit";

    private CrashPoint() {
    }

    static void afterDataCommit() {
        if (Boolean.getBoolean(AFTER_DATA_COMMIT)) {
            kill();
        }
    }

    private static void kill() {
        String pid = String.valueOf(ProcessHandle.current().pid());
        try {
            new ProcessBuilder("kill", "-KILL", pid).inheritIO().start().waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            // no kill command: as abrupt, no shutdown hook run
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Runtime.getRuntime().halt(137);
    }
}
