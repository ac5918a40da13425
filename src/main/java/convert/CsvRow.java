package convert;

/**
 * One CSV record as read from the file.
 *
 * @param lineNumber the physical line (1-based) on which the record starts; quoted newlines make later records start
 *                   later than their record number suggests
 * @param values     the fields as written, not trimmed
 */
public record CsvRow(long lineNumber, String[] values) {
}
