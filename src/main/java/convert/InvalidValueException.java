package convert;

/** A CSV value that does not fit its field; the message is the reason. Thrown per bad value, so no stack trace. */
final class InvalidValueException extends Exception {

    InvalidValueException(String reason) {
        super(reason, null, false, false);
    }
}
