package lake;

import core.RunSchema;

/**
 * The run's schema as the table takes it, and the table's field id of each of its fields.
 *
 * @param schema   the schema to convert with, fitted to the table
 * @param fieldIds the table's field id of each field, by position; null when the engine reads the file by name
 */
public record SchemaFit(RunSchema schema, int[] fieldIds) {
}
