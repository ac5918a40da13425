package lake;

import java.util.ArrayList;
import java.util.List;

import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/** How an input's columns differ from a table's, compared by name (field ids of the two schemas are unrelated). */
record SchemaDifferences(List<Types.NestedField> extra, List<String> incompatible) {

    static SchemaDifferences between(Schema table, Schema input) {
        List<Types.NestedField> extra = new ArrayList<>();
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
            } else if (!sameType(existing.type(), column.type())) {
                incompatible.add("column " + column.name() + " changed type from " + existing.type()
                                 + " to " + column.type());
            } else if (existing.isRequired() && column.isOptional()) {
                incompatible.add("column " + column.name() + " is optional in the input but required in the table");
            }
        }
        return new SchemaDifferences(List.copyOf(extra), List.copyOf(incompatible));
    }

    boolean none() {
        return extra.isEmpty() && incompatible.isEmpty();
    }

    /** Every difference, extra columns included, for an error message. */
    List<String> all() {
        List<String> all = new ArrayList<>(incompatible);
        extra.forEach(column -> all.add("extra column " + describe(column)));
        return all;
    }

    static String describe(Types.NestedField column) {
        return column.name() + " (" + column.type() + ")";
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
