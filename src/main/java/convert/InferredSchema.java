package convert;

import java.util.List;

import org.apache.avro.Schema;

/**
 * The schema inferred from a CSV's header and first rows, and what the inference saw of each column.
 *
 * @param avro       the schema, a record of the columns in the header's order
 * @param sampleRows the data rows read
 * @param columns    each column, in the same order
 */
public record InferredSchema(Schema avro, long sampleRows, List<Column> columns) {

    public InferredSchema {
        columns = List.copyOf(columns);
    }

    /**
     * @param header  the column's name in the header
     * @param name    its field name
     * @param type    its type, as the table will have it ({@code decimal(18,3)}, {@code timestamp})
     * @param example its first value that is not null; null when it had none
     * @param nulls   how many of its values were empty or {@code pipeline.convert.nullString}
     */
    public record Column(String header, String name, String type, String example, long nulls) {
    }
}
