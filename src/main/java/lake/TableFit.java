package lake;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import config.TableConfig;
import core.BadInputException;
import core.RunSchema;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.TypeUtil;
import org.apache.iceberg.types.Types;

/**
 * An inferred schema fitted to the table it loads: the table's schema wins. A column the table has takes the
 * table's type wherever that type can hold the column's values (an int column of the CSV in a long, a decimal or a
 * double of the table; a date in a timestamp); the convert then checks every value against it. Where the values need
 * a wider type the table's column can be promoted to (int to long, float to double, a decimal of more digits, required
 * to optional), the wider type is kept under {@code pipeline.table.widenTypes} and applied by the load; anything else
 * fails the run naming the column, both types and the setting. A column the table lacks is added under
 * {@code pipeline.table.schemaEvolution=add-columns}; an optional column the CSV lacks is written as nulls.
 */
final class TableFit {

    private TableFit() {
    }

    /** {@code inferred} fitted to {@code table} as {@code config} allows, or a failure that says what to change. */
    static RunSchema fit(RunSchema inferred, org.apache.iceberg.Schema table, TableConfig config) {
        org.apache.iceberg.Schema input = AvroToIceberg.convert(inferred.avro());
        List<String> problems = new ArrayList<>();
        List<Schema.Field> fields = new ArrayList<>();
        List<String> extra = new ArrayList<>();
        for (Schema.Field field : inferred.avro().getFields()) {
            Types.NestedField column = table.findField(field.name());
            if (column == null) {
                extra.add(field.name());
                fields.add(copy(field, field.schema()));
                continue;
            }
            Types.NestedField wanted = input.findField(field.name());
            Fitted fitted = fit(column, wanted);
            if (fitted.problem() != null) {
                problems.add(fitted.problem() + " (" + evidence(inferred, field.name()) + ")");
                continue;
            }
            boolean key = config.merge().key().contains(field.name());
            // a key column with an empty value: the merge's own check says so (MergeKeys), not a widening to allow
            boolean onlyNulls = key && fitted.type().equals(column.type());
            if (fitted.widens() && !config.widenTypes() && !onlyNulls) {
                problems.add("column " + field.name() + " is " + describe(column) + " in table "
                        + config.qualifiedName() + ", but the CSV's values need " + describe(wanted) + " ("
                        + evidence(inferred, field.name()) + "); set pipeline.table.widenTypes=true to widen the"
                        + " table's column");
                continue;
            }
            // a merge's key stays required, whatever the table's column is: every input row needs one
            boolean optional = key ? wanted.isOptional() : fitted.optional();
            fields.add(copy(field, avro(fitted.type(), optional)));
        }
        if (!extra.isEmpty() && config.schemaEvolution() != TableConfig.SchemaEvolution.ADD_COLUMNS) {
            problems.add("the CSV has the column(s) " + String.join(", ", extra) + " that table "
                    + config.qualifiedName() + " lacks; set pipeline.table.schemaEvolution=add-columns to add them");
        }
        boolean missingRequired = false;
        for (Types.NestedField column : table.columns()) {
            if (inferred.avro().getField(column.name()) != null) {
                continue;
            }
            if (column.isRequired()) {
                missingRequired = true;
                problems.add("table " + config.qualifiedName() + " requires the column " + column.name() + " ("
                        + column.type() + "), which the CSV lacks");
            } else if (writable(column.type())) {
                fields.add(new Schema.Field(column.name(), avro(column.type(), true), column.doc(),
                        Schema.Field.NULL_DEFAULT_VALUE));
            }
        }
        if (missingRequired) {
            // no setting adds a column to the CSV: the settings named above would not be enough
            problems.add(SchemaDifferences.anotherTable(config.qualifiedName()));
        }
        if (!problems.isEmpty()) {
            throw new BadInputException("The inferred schema does not fit table " + config.qualifiedName() + ": "
                    + String.join("; ", problems) + ". The table was left unchanged");
        }
        Schema avro = inferred.avro();
        return inferred.withAvro(Schema.createRecord(avro.getName(), avro.getDoc(), avro.getNamespace(), false,
                fields));
    }

    /**
     * How the table's column takes the CSV's: its own type (the convert checks each value against it), or the wider
     * type the values need where Iceberg can promote the column to it, or a problem.
     */
    private record Fitted(Type type, boolean optional, boolean widens, String problem) {
    }

    private static Fitted fit(Types.NestedField column, Types.NestedField wanted) {
        Type table = column.type();
        Type values = wanted.type();
        boolean optional = column.isOptional() || wanted.isOptional();
        // a required column that must take nulls is widened too: Iceberg makes a column optional, never required
        boolean toOptional = column.isRequired() && wanted.isOptional();
        if (!writable(table)) {
            return new Fitted(table, optional, false, "column " + column.name() + " is " + table + " in the table,"
                    + " a type the convert does not write");
        }
        if (holds(table, values)) {
            return new Fitted(table, optional, toOptional, null);
        }
        if (values.isPrimitiveType() && TypeUtil.isPromotionAllowed(table, values.asPrimitiveType())) {
            return new Fitted(values, optional, true, null);
        }
        return new Fitted(table, optional, false, "column " + column.name() + " is " + describe(column)
                + " in the table, but the CSV's values need " + describe(wanted) + ", which Iceberg cannot change "
                + table + " to; load another table (pipeline.table.name) or give a schema (pipeline.convert.schema)"
                + " whose " + column.name() + " is a string");
    }

    /** Whether every value of {@code values}, read with the table's type, keeps its value (the convert checks each). */
    private static boolean holds(Type table, Type values) {
        if (table.equals(values)) {
            return true;
        }
        Type.TypeID v = values.typeId();
        return switch (table.typeId()) {
            case STRING -> true;
            case LONG -> v == Type.TypeID.INTEGER;
            case FLOAT, DOUBLE -> v == Type.TypeID.INTEGER || v == Type.TypeID.LONG || v == Type.TypeID.DECIMAL
                                  || (table.typeId() == Type.TypeID.DOUBLE && v == Type.TypeID.FLOAT);
            case DECIMAL -> v == Type.TypeID.INTEGER || v == Type.TypeID.LONG
                            || (v == Type.TypeID.DECIMAL && ((Types.DecimalType) values).scale()
                                                            <= ((Types.DecimalType) table).scale());
            case TIMESTAMP -> v == Type.TypeID.DATE || (v == Type.TypeID.TIMESTAMP
                    && (((Types.TimestampType) table).shouldAdjustToUTC()
                        || !((Types.TimestampType) values).shouldAdjustToUTC()));
            default -> false;
        };
    }

    private static boolean writable(Type type) {
        return switch (type.typeId()) {
            case BOOLEAN, INTEGER, LONG, FLOAT, DOUBLE, DECIMAL, DATE, TIMESTAMP, STRING -> true;
            default -> false;
        };
    }

    /** The Avro type the convert writes for a column of the table's {@code type} (one it {@link #writable writes}). */
    static Schema avro(Type type, boolean optional) {
        Schema avro = switch (type.typeId()) {
            case BOOLEAN -> Schema.create(Schema.Type.BOOLEAN);
            case INTEGER -> Schema.create(Schema.Type.INT);
            case LONG -> Schema.create(Schema.Type.LONG);
            case FLOAT -> Schema.create(Schema.Type.FLOAT);
            case DOUBLE -> Schema.create(Schema.Type.DOUBLE);
            case DECIMAL -> LogicalTypes.decimal(((Types.DecimalType) type).precision(),
                    ((Types.DecimalType) type).scale()).addToSchema(Schema.create(Schema.Type.BYTES));
            case DATE -> LogicalTypes.date().addToSchema(Schema.create(Schema.Type.INT));
            case TIMESTAMP -> (((Types.TimestampType) type).shouldAdjustToUTC() ? LogicalTypes.timestampMicros()
                    : LogicalTypes.localTimestampMicros()).addToSchema(Schema.create(Schema.Type.LONG));
            case STRING -> Schema.create(Schema.Type.STRING);
            default -> throw new IllegalArgumentException("the convert does not write " + type);
        };
        return optional ? Schema.createUnion(Schema.create(Schema.Type.NULL), avro) : avro;
    }

    private static Schema.Field copy(Schema.Field field, Schema type) {
        return new Schema.Field(field.name(), type, field.doc(),
                type.getType() == Schema.Type.UNION ? Schema.Field.NULL_DEFAULT_VALUE : null);
    }

    private static String describe(Types.NestedField column) {
        return column.type() + (column.isOptional() ? " (optional)" : " (required)");
    }

    /** What showed the values need the type: the widening that found it, or else the inference's sample. */
    private static String evidence(RunSchema inferred, String column) {
        Map<String, RunSchema.Widening> last = new LinkedHashMap<>();
        inferred.widenings().forEach(w -> last.put(w.column(), w));
        return Optional.ofNullable(last.get(column))
                .map(w -> "the value '" + w.value() + "' on line " + w.line())
                .orElse("the first " + inferred.sampleRows() + " rows");
    }
}
