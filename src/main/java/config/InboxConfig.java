package config;

import java.nio.file.Path;
import java.time.Duration;

/** {@code pipeline.inbox.*}: the folder watched for dropped CSV files. */
public record InboxConfig(boolean enabled, Path dir, String include, Duration pollInterval, Duration readLockMinAge) {

    public static InboxConfig from(Settings s, Path dataDir) {
        return new InboxConfig(
                s.bool("pipeline.inbox.enabled", true),
                s.path("pipeline.inbox.dir", dataDir.resolve("inbox")),
                s.string("pipeline.inbox.include", ".*\\.csv"),
                s.duration("pipeline.inbox.pollInterval", Duration.ofSeconds(2)),
                s.duration("pipeline.inbox.readLockMinAge", Duration.ofSeconds(1)));
    }
}
