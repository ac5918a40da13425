package lake;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import s3.S3Location;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/** Stages an uploaded object on local disk for an engine that reads files, not S3. */
public final class S3Downloads {

    private S3Downloads() {
    }

    /**
     * Streams {@code s3Uri} ({@code s3://bucket/key}) to a new temporary file, never holding it in memory: Parquet needs
     * random access to the footer, and the file may be larger than the heap. The caller deletes the file.
     */
    public static Path toTempFile(S3Client s3, String s3Uri) throws IOException {
        return toTempFile(s3, s3Uri, ".parquet");
    }

    /** As {@link #toTempFile(S3Client, String)}, the file's name ending with {@code suffix} ({@code .csv.gz}). */
    public static Path toTempFile(S3Client s3, String s3Uri, String suffix) throws IOException {
        S3Location source = S3Location.object(s3Uri);
        // the pid in the name lets a later start tell a crashed process's file from a running one's (CrashLeftovers)
        Path local = Files.createTempFile("load-" + ProcessHandle.current().pid() + "-", suffix);
        try (ResponseInputStream<GetObjectResponse> in =
                     s3.getObject(b -> b.bucket(source.bucket()).key(source.key()))) {
            Files.copy(in, local, StandardCopyOption.REPLACE_EXISTING);
            return local;
        } catch (NoSuchKeyException e) {
            Files.deleteIfExists(local);
            throw new IllegalStateException("Cannot load " + source + ": the object does not exist", e);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(local);
            throw e;
        }
    }
}
