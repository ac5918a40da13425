package lake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;

import config.TableConfig;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;
import support.TableRows;

/** Rows read back with Iceberg's own generic reader equal the input: types, required columns, nulls and UTF-8 text. */
class LoadedRowsReadBackExactlyTest extends LoadTestSupport {

    private static final Schema DATE = LogicalTypes.date().addToSchema(Schema.create(Schema.Type.INT));
    private static final Schema TIMESTAMP =
            LogicalTypes.timestampMicros().addToSchema(Schema.create(Schema.Type.LONG));

    private static final Schema SCHEMA = SchemaBuilder.record("Item").fields()
            .requiredInt("id")
            .requiredString("name")
            .optionalString("note")
            .optionalDouble("price")
            .requiredBoolean("in_stock")
            .requiredLong("quantity")
            .name("added").type(DATE).noDefault()
            .name("updated").type().unionOf().nullType().and().type(TIMESTAMP).endUnion().nullDefault()
            .endRecord();

    @Test
    void everyValueComesBackWithItsType() throws Exception {
        TableConfig config = table(TableConfig.Mode.OVERWRITE);
        LocalDateTime updated = LocalDateTime.of(2025, 3, 27, 17, 0, 0, 123_456_000);
        List<GenericRecord> input = List.of(
                item(1, "Café 日本", null, 9.99, true, 5_000_000_000L, LocalDate.of(2025, 1, 31), updated),
                item(2, "plain, \"quoted\"\nline", "naïve 🍣", null, false, -1L, LocalDate.of(1970, 1, 1), null),
                item(3, "", "", 0.0, true, 0L, LocalDate.of(2099, 12, 31), updated.plusDays(1)));

        load(config, SCHEMA, input);

        Table table = IcebergTables.load(config);
        assertEquals(Types.IntegerType.get(), table.schema().findType("id"));
        assertTrue(table.schema().findField("id").isRequired());
        assertTrue(table.schema().findField("note").isOptional());
        assertEquals(Types.DateType.get(), table.schema().findType("added"));
        assertEquals(Types.TimestampType.withZone(), table.schema().findType("updated"), "Avro timestamps are instants");
        List<Record> rows = TableRows.read(table);
        rows.sort(Comparator.comparingInt(r -> (Integer) r.getField("id")));
        assertEquals(3, rows.size());
        for (int i = 0; i < input.size(); i++) {
            GenericRecord in = input.get(i);
            Record out = rows.get(i);
            assertEquals(in.get("id"), out.getField("id"));
            assertEquals(in.get("name"), out.getField("name"));
            assertEquals(in.get("note"), out.getField("note"));
            assertEquals(in.get("price"), out.getField("price"));
            assertEquals(in.get("in_stock"), out.getField("in_stock"));
            assertEquals(in.get("quantity"), out.getField("quantity"));
            assertEquals(LocalDate.ofEpochDay((Integer) in.get("added")), out.getField("added"));
            Long micros = (Long) in.get("updated");
            if (micros == null) {
                assertNull(out.getField("updated"));
            } else {
                assertEquals(micros, micros(out.getField("updated")));
            }
        }
        assertEquals("Café 日本", rows.get(0).getField("name"));
        assertNull(rows.get(0).getField("note"));
        assertNull(rows.get(1).getField("price"));
    }

    private static GenericRecord item(int id, String name, String note, Double price, boolean inStock, long quantity,
                                      LocalDate added, LocalDateTime updated) {
        GenericRecord row = new GenericData.Record(SCHEMA);
        row.put("id", id);
        row.put("name", name);
        row.put("note", note);
        row.put("price", price);
        row.put("in_stock", inStock);
        row.put("quantity", quantity);
        row.put("added", (int) added.toEpochDay());
        row.put("updated", updated == null ? null : micros(updated));
        return row;
    }

    private static Long micros(LocalDateTime t) {
        return t.toEpochSecond(ZoneOffset.UTC) * 1_000_000 + t.getNano() / 1_000;
    }

    private static Long micros(Object timestamptz) {
        return micros(((OffsetDateTime) timestamptz).withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime());
    }
}
