package convert;

/**
 * An {@link Error} (most often an {@link OutOfMemoryError}) raised while converting, as an exception: Camel's error
 * handling only sees exceptions, and an Error left to unwind would stop the run's thread with no report written.
 */
public final class ConvertStageError extends RuntimeException {

    ConvertStageError(String what, Error cause) {
        super(what + ": " + cause + hint(cause), cause);
    }

    private static String hint(Error cause) {
        if (!(cause instanceof OutOfMemoryError)) {
            return "";
        }
        return " (the heap is " + (Runtime.getRuntime().maxMemory() >> 20) + " MB: give the JVM more with -Xmx, or"
                + " lower pipeline.convert.maxRecordBytes, maxFieldBytes or maxFieldsPerRecord)";
    }
}
