package lake;

import java.util.ArrayList;
import java.util.List;

import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/** Product rows with a nullable brand or an extra price column, for tests of nulls and evolution. */
public final class ProductRows {

    public static final Schema NULLABLE_BRAND = SchemaBuilder.record("Product").namespace("com.kestra.product")
            .fields()
            .requiredInt("product_id")
            .requiredString("product_name")
            .requiredString("product_category")
            .optionalString("brand")
            .endRecord();

    public static final Schema WITH_PRICE = SchemaBuilder.record("Product").namespace("com.kestra.product")
            .fields()
            .requiredInt("product_id")
            .requiredString("product_name")
            .requiredString("product_category")
            .requiredString("brand")
            .optionalDouble("price")
            .endRecord();

    private ProductRows() {
    }

    public static GenericRecord withNullableBrand(int id, String name, String category, String brand) {
        GenericRecord row = new GenericData.Record(NULLABLE_BRAND);
        row.put("product_id", id);
        row.put("product_name", name);
        row.put("product_category", category);
        row.put("brand", brand);
        return row;
    }

    public static GenericRecord withPrice(int id, double price) {
        GenericRecord row = new GenericData.Record(WITH_PRICE);
        row.put("product_id", id);
        row.put("product_name", "Product " + id);
        row.put("product_category", "Books");
        row.put("brand", "Acme");
        row.put("price", price);
        return row;
    }

    /** Products 1001.. priced 1.5, 2.5, ... */
    public static List<GenericRecord> priced(int count) {
        List<GenericRecord> rows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            rows.add(withPrice(1001 + i, i + 1.5));
        }
        return rows;
    }
}
