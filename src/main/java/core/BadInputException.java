package core;

/**
 * The input itself is wrong (bad rows, missing columns, bad encoding): retrying cannot help, the run fails and the
 * input is kept aside.
 */
public class BadInputException extends RuntimeException {

    public BadInputException(String message) {
        super(message);
    }

    public BadInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
