package athena;

/** An Athena query FAILED, was CANCELLED or did not finish in time; the message says which and why. */
public class AthenaQueryException extends RuntimeException {

    public AthenaQueryException(String message) {
        super(message);
    }

    public AthenaQueryException(String message, Throwable cause) {
        super(message, cause);
    }
}
