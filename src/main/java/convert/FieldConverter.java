package convert;

/** Turns the text of one CSV column into the value Avro expects for its field. */
@FunctionalInterface
interface FieldConverter {

    Object convert(String text) throws InvalidValueException;
}
