package lake;

import java.util.ArrayList;
import java.util.List;

import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.TypeUtil;
import org.apache.iceberg.types.Types;

/**
 * How an input's columns differ from a table's, compared by name (field ids of the two schemas are unrelated): columns
 * the table lacks, columns the table could widen to take the input's (a type Iceberg promotes to: int to long, float
 * to double, a decimal of more digits; required to optional), and differences no evolution bridges.
 */
record SchemaDifferences(List<Types.NestedField> extra, List<Types.NestedField> wider, List<String> incompatible) {

    static SchemaDifferences between(Schema table, Schema input) {
        List<Types.NestedField> extra = new ArrayList<>();
        List<Types.NestedField> wider = new ArrayList<>();
        List<String> incompatible = new ArrayList<>();
        for (Types.NestedField column : table.columns()) {
            if (input.findField(column.name()) == null) {
                incompatible.add("missing column " + describe(column));
            }
        }
        for (Types.NestedField column : input.columns()) {
            Types.NestedField existing = table.findField(column.name());
            if (existing == null) {
                extra.add(column);
                continue;
            }
            boolean sameType = sameType(existing.type(), column.type());
            boolean promoted = !sameType && column.type().isPrimitiveType() && existing.type().isPrimitiveType()
                    && TypeUtil.isPromotionAllowed(existing.type(), column.type().asPrimitiveType());
            if (!sameType && !promoted) {
                incompatible.add(changedType(existing, column));
            } else if (promoted || (existing.isRequired() && column.isOptional())) {
                wider.add(column);
            }
        }
        return new SchemaDifferences(List.copyOf(extra), List.copyOf(wider), List.copyOf(incompatible));
    }

    boolean none() {
        return extra.isEmpty() && wider.isEmpty() && incompatible.isEmpty();
    }

    /**
     * The advice when no setting makes an input fit table {@code table} (it lacks a column the table requires, or a
     * column's type cannot change): another table, or the table dropped if it holds nothing to keep (a table a typo
     * made).
     */
    static String anotherTable(String table) {
        return "no setting makes this input fit table " + table + ": load it into another table"
               + " (pipeline.table.name), or drop " + table + " if it holds nothing to keep"
               + " (bin/s3tables-pipeline drop-table " + table + " --yes)";
    }

    /** What widening {@code column} changes in {@code table}, for a message. */
    static String describeWider(Schema table, Types.NestedField column) {
        Types.NestedField existing = table.findField(column.name());
        return existing.type().equals(column.type())
                ? "column " + column.name() + " is optional in the input but required in the table"
                : changedType(existing, column);
    }

    static String describe(Types.NestedField column) {
        return column.name() + " (" + column.type() + ")";
    }

    private static String changedType(Types.NestedField existing, Types.NestedField column) {
        return "column " + column.name() + " changed type from " + existing.type() + " to " + column.type();
    }

    private static boolean sameType(Type a, Type b) {
        if (a.isPrimitiveType() || b.isPrimitiveType()) {
            return a.equals(b);
        }
        if (a.typeId() != b.typeId()) {
            return false;
        }
        List<Types.NestedField> left = a.asNestedType().fields();
        List<Types.NestedField> right = b.asNestedType().fields();
        if (left.size() != right.size()) {
            return false;
        }
        for (int i = 0; i < left.size(); i++) {
            Types.NestedField l = left.get(i);
            Types.NestedField r = right.get(i);
            // list elements and map entries carry generated names; struct fields must match by name
            boolean namesMatter = a.isStructType();
            if ((namesMatter && !l.name().equals(r.name())) || l.isOptional() != r.isOptional()
                || !sameType(l.type(), r.type())) {
                return false;
            }
        }
        return true;
    }
}
