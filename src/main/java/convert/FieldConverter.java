package convert;

/** Turns the text of one CSV column into the value written for its field (see {@link FieldConverters}). */
@FunctionalInterface
interface FieldConverter {

    Object convert(String text) throws InvalidValueException;
}
