package emr;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

import s3.S3Location;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Reads the gzipped logs that EMR pushes to S3: a step's {@code <logUri>/<clusterId>/steps/<stepId>/stdout.gz|stderr.gz},
 * an EMR Serverless job run's {@code <logUri>/applications/<appId>/jobs/<jobRunId>/SPARK_DRIVER/stdout.gz|stderr.gz}.
 */
public final class StepLogs {

    private final S3Client s3;

    public StepLogs(S3Client s3) {
        this.s3 = s3;
    }

    /** The log's lines, or empty when there is no log URI or the log is not (yet) in S3. */
    public Optional<List<String>> lines(String logUri, String clusterId, String stepId, String file) {
        if (logUri == null || logUri.isBlank()) {
            return Optional.empty();
        }
        return lines(S3Location.parse(logUri).resolve(clusterId, "steps", stepId, file));
    }

    /** The lines of the gzipped log at {@code log}, or empty when it is not (yet) in S3. */
    public Optional<List<String>> lines(S3Location log) {
        try (var in = s3.getObject(b -> b.bucket(log.bucket()).key(log.key()));
             var reader = new BufferedReader(new InputStreamReader(new GZIPInputStream(in), StandardCharsets.UTF_8))) {
            List<String> lines = new ArrayList<>();
            for (String line; (line = reader.readLine()) != null; ) {
                lines.add(line);
            }
            return Optional.of(lines);
        } catch (SdkException | IOException e) {
            return Optional.empty();
        }
    }

    /** The last {@code count} lines of a log, joined by newlines. */
    public Optional<String> tail(String logUri, String clusterId, String stepId, String file, int count) {
        return lines(logUri, clusterId, stepId, file).map(lines -> last(lines, count));
    }

    /** The last {@code count} lines of the log at {@code log}, joined by newlines. */
    public Optional<String> tail(S3Location log, int count) {
        return lines(log).map(lines -> last(lines, count));
    }

    private static String last(List<String> lines, int count) {
        Deque<String> last = new ArrayDeque<>();
        for (String line : lines) {
            last.addLast(line);
            if (last.size() > count) {
                last.removeFirst();
            }
        }
        return String.join("\n", last);
    }
}
