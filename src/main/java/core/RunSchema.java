package core;

import java.util.ArrayList;
import java.util.List;

import org.apache.avro.Schema;

/**
 * The Avro schema a run converts its CSV with and loads into the table: the dataset's own, or one inferred from the
 * CSV's header and first rows, fitted to the table and widened as the convert found values that did not fit. Set as
 * the exchange property {@link Pipeline#SCHEMA}; each step that changes it sets a new one.
 *
 * @param avro       the schema
 * @param source     where it came from: the dataset's schema location, or {@link #INFERRED}
 * @param sampleRows the data rows the inference read; 0 for a given schema
 * @param widenings  the columns widened so far, in the order found
 * @param passes     how many conversions of the file have been run with an earlier schema
 */
public record RunSchema(Schema avro, String source, long sampleRows, List<Widening> widenings, int passes) {

    public static final String INFERRED = "inferred";

    public RunSchema {
        widenings = List.copyOf(widenings);
    }

    /** A value a column's type did not hold, and the type the column became for it. */
    public record Widening(String column, long line, String value, String from, String to) {

        /** As the log and a message word it. */
        public String describe() {
            return "column " + column + " widened from " + from + " to " + to + " for the value '" + value
                    + "' on line " + line;
        }
    }

    public static RunSchema given(Schema avro, String location) {
        return new RunSchema(avro, location, 0, List.of(), 0);
    }

    public static RunSchema inferred(Schema avro, long sampleRows) {
        return new RunSchema(avro, INFERRED, sampleRows, List.of(), 0);
    }

    public boolean isInferred() {
        return INFERRED.equals(source);
    }

    /** The same origin with another schema: the one fitted to the table. */
    public RunSchema withAvro(Schema fitted) {
        return new RunSchema(fitted, source, sampleRows, widenings, passes);
    }

    /** After a pass that found values its schema did not hold: the widened schema, for the next pass. */
    public RunSchema widened(Schema wider, List<Widening> found) {
        List<Widening> all = new ArrayList<>(widenings);
        all.addAll(found);
        return new RunSchema(wider, source, sampleRows, all, passes + 1);
    }
}
