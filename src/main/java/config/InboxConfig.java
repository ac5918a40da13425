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
    /**
     * The longest name, in UTF-8 bytes, of a file the inbox takes: a file system's 255, less the 32 bytes of the
     * {@code .<runId>.error.json} that a failed file kept beside an earlier one of its name needs for its sidecar.
     */
    public static final int MAX_NAME_BYTES = 223;

    /** The inbox is {@code dir}: {@code pipeline.inbox.dir}, or the folder the caller derived from the data dir. */
    public static InboxConfig from(Settings s, Path dir) {
        return new InboxConfig(
                s.bool("pipeline.inbox.enabled"),
                dir,
                s.string("pipeline.inbox.include"),
                s.duration("pipeline.inbox.pollInterval"),
                s.duration("pipeline.inbox.readLockMinAge"),
                s.bool("pipeline.inbox.doneMarker"),
                s.bool("pipeline.inbox.followLinks"));
    }
}
