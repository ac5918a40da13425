package config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code pipeline.inbox.*}: the folder watched for dropped CSV files, when a file counts as complete (unchanged for
 * {@code readLockMinAge}, renamed to a name the include pattern matches, or with its {@code .done} marker), and whether
 * symbolic links are followed.
 */
public record InboxConfig(boolean enabled, Path dir, String include, Duration pollInterval, Duration readLockMinAge,
        boolean doneMarker, boolean followLinks) {

    /** The marker of {@code x.csv} is {@code x.csv} followed by this suffix. */
    public static final String DONE_MARKER_SUFFIX = ".done";

    public static InboxConfig from(Settings s, Path dataDir) {
        return new InboxConfig(
                s.bool("pipeline.inbox.enabled"),
                // empty means derived: the inbox folder of the data dir
                s.optional("pipeline.inbox.dir").map(Path::of).orElseGet(() -> dataDir.resolve("inbox")),
                s.string("pipeline.inbox.include"),
                s.duration("pipeline.inbox.pollInterval"),
                s.duration("pipeline.inbox.readLockMinAge"),
                s.bool("pipeline.inbox.doneMarker"),
                s.bool("pipeline.inbox.followLinks"));
    }
}
