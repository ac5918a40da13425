package lake;

import java.nio.file.Path;
import java.util.List;

import config.TableConfig;
import core.BadInputException;
import core.RunSchema;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An inferred schema meets an existing table: the table's types win wherever they hold the CSV's values; a wider type
 * is taken only where Iceberg can promote the column and pipeline.table.widenTypes says so; a new column only under
 * schemaEvolution=add-columns; anything else fails naming the column, both types and the setting.
 */
class InferredColumnsTakeTheTablesTypesTest {

    private static final org.apache.iceberg.Schema TABLE = new org.apache.iceberg.Schema(
            Types.NestedField.required(1, "trip_id", Types.LongType.get()),
            Types.NestedField.required(2, "duration", Types.IntegerType.get()),
            Types.NestedField.optional(3, "fare", Types.DecimalType.of(10, 2)),
            Types.NestedField.optional(4, "started_at", Types.TimestampType.withZone()),
            Types.NestedField.optional(5, "note", Types.StringType.get()));

    @Test
    void theTablesTypesWinWhereTheyHoldTheValues() {
        Schema inferred = SchemaBuilder.record("Row").fields()
                .requiredInt("trip_id")
                .requiredInt("duration")
                .name("fare").type(decimal(18, 2)).noDefault()
                .name("started_at").type(LogicalTypes.localTimestampMicros().addToSchema(
                        Schema.create(Schema.Type.LONG))).noDefault()
                .endRecord();

        Schema fitted = fit(inferred, table(TableConfig.SchemaEvolution.NONE, false)).avro();

        assertEquals(Schema.Type.LONG, fitted.getField("trip_id").schema().getType(), "a long column takes ints");
        assertEquals(Schema.Type.INT, fitted.getField("duration").schema().getType());
        Schema fare = fitted.getField("fare").schema().getTypes().get(1);
        assertEquals(LogicalTypes.decimal(10, 2), fare.getLogicalType(), "the table's decimal; the convert checks");
        Schema startedAt = fitted.getField("started_at").schema().getTypes().get(1);
        assertEquals(LogicalTypes.timestampMicros(), startedAt.getLogicalType(), "wall-clock times as instants");
        Schema note = fitted.getField("note").schema();
        assertEquals(List.of(Schema.Type.NULL, Schema.Type.STRING),
                note.getTypes().stream().map(Schema::getType).toList(), "an optional column the CSV lacks: nulls");
    }

    @Test
    void aWiderTypeIsTakenOnlyUnderWidenTypes() {
        Schema inferred = SchemaBuilder.record("Row").fields()
                .requiredLong("trip_id").requiredLong("duration").optionalString("note").endRecord();

        BadInputException refused = assertThrows(BadInputException.class,
                () -> fit(inferred, table(TableConfig.SchemaEvolution.NONE, false)));
        Schema widened = fit(inferred, table(TableConfig.SchemaEvolution.NONE, true)).avro();

        assertTrue(refused.getMessage().contains("column duration is int (required) in table data.trips, but the"
                + " CSV's values need long (required) (the first 20000 rows); set pipeline.table.widenTypes=true"),
                refused.getMessage());
        assertEquals(Schema.Type.LONG, widened.getField("duration").schema().getType());
    }

    @Test
    void aTypeIcebergCannotPromoteToFailsNamingTheValueAndLine() {
        Schema inferred = SchemaBuilder.record("Row").fields()
                .requiredLong("trip_id").name("duration").type(decimal(18, 1)).noDefault().endRecord();
        RunSchema widened = RunSchema.inferred(inferred, 20_000).widened(inferred,
                List.of(new RunSchema.Widening("duration", 50_001, "12.5", "int", "decimal(18,1)")));

        BadInputException e = assertThrows(BadInputException.class,
                () -> TableFit.fit(widened, TABLE, table(TableConfig.SchemaEvolution.NONE, true)));

        assertTrue(e.getMessage().contains("column duration is int (required) in the table, but the CSV's values"
                + " need decimal(18, 1) (required), which Iceberg cannot change int to"), e.getMessage());
        assertTrue(e.getMessage().contains("the value '12.5' on line 50001"), e.getMessage());
        assertTrue(e.getMessage().contains("pipeline.table.name"), e.getMessage());
    }

    @Test
    void aNewColumnIsAddedOnlyUnderAddColumns() {
        Schema inferred = SchemaBuilder.record("Row").fields()
                .requiredLong("trip_id").requiredInt("duration").optionalString("bike").endRecord();

        BadInputException refused = assertThrows(BadInputException.class,
                () -> fit(inferred, table(TableConfig.SchemaEvolution.NONE, false)));
        Schema added = fit(inferred, table(TableConfig.SchemaEvolution.ADD_COLUMNS, false)).avro();

        assertTrue(refused.getMessage().contains("the CSV has the column(s) bike that table data.trips lacks; set"
                + " pipeline.table.schemaEvolution=add-columns"), refused.getMessage());
        assertTrue(added.getField("bike") != null);
    }

    @Test
    void emptyValuesInARequiredColumnNeedItOptional() {
        Schema inferred = SchemaBuilder.record("Row").fields()
                .optionalLong("trip_id").requiredInt("duration").endRecord();

        BadInputException refused = assertThrows(BadInputException.class,
                () -> fit(inferred, table(TableConfig.SchemaEvolution.NONE, false)));
        Schema widened = fit(inferred, table(TableConfig.SchemaEvolution.NONE, true)).avro();

        assertTrue(refused.getMessage().contains("column trip_id is long (required) in table data.trips, but the"
                + " CSV's values need long (optional)"), refused.getMessage());
        assertEquals(Schema.Type.UNION, widened.getField("trip_id").schema().getType());
    }

    private static RunSchema fit(Schema inferred, TableConfig config) {
        return TableFit.fit(RunSchema.inferred(inferred, 20_000), TABLE, config);
    }

    private static TableConfig table(TableConfig.SchemaEvolution evolution, boolean widenTypes) {
        return new TableConfig(TableConfig.Catalog.HADOOP, Path.of("warehouse"), null, "data", "trips",
                TableConfig.Mode.APPEND, evolution, java.util.Optional.empty(), false, widenTypes);
    }

    private static Schema decimal(int precision, int scale) {
        return LogicalTypes.decimal(precision, scale).addToSchema(Schema.create(Schema.Type.BYTES));
    }
}
