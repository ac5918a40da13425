package lake;

import java.util.ArrayList;
import java.util.List;

import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/** The Product schema with one more column, a nullable {@code price}. */
final class ProductsWithPrice {

    static final Schema SCHEMA = SchemaBuilder.record("Product").namespace("com.kestra.product").fields()
            .requiredInt("product_id")
            .requiredString("product_name")
            .requiredString("product_category")
            .requiredString("brand")
            .optionalDouble("price")
            .endRecord();

    private ProductsWithPrice() {
    }

    /** Products 1001.. priced 1.5, 2.5, ... */
    static List<GenericRecord> rows(int count) {
        List<GenericRecord> rows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            GenericRecord row = new GenericData.Record(SCHEMA);
            row.put("product_id", 1001 + i);
            row.put("product_name", "Priced " + i);
            row.put("product_category", "Books");
            row.put("brand", "Acme");
            row.put("price", i + 1.5);
            rows.add(row);
        }
        return rows;
    }
}
