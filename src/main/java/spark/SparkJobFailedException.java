package spark;

/** A spark-submit run ended badly; the message carries the job's {@code ERROR:} line and the tail of its stderr. */
public class SparkJobFailedException extends RuntimeException {

    public SparkJobFailedException(String message) {
        super(message);
    }
}
