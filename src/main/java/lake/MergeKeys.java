package lake;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import config.MergeConfig;
import core.BadInputException;
import core.RunSchema;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * The columns a merge needs in a run's schema: each key column of {@code pipeline.table.key}, required (a value in
 * every row) and of a type whose values compare exactly (not a float or a double), and the boolean column of
 * {@code pipeline.table.deleteWhen}. A dataset's given schema is checked at start-up, an inferred one as it is inferred
 * and widened: a key column that had an empty value is optional, and fails naming the setting.
 */
public final class MergeKeys {

    private MergeKeys() {
    }

    /** What is wrong with the dataset's given schema, at {@code location}, for {@code merge}; empty when nothing. */
    public static List<String> problems(MergeConfig merge, org.apache.avro.Schema schema, String location) {
        if (!merge.isMerge()) {
            return List.of();
        }
        return problems(merge, AvroToIceberg.convert(schema), "schema " + location, column -> "");
    }

    /** Fails a run whose schema, given or inferred, lacks what {@code merge} needs, naming the setting to change. */
    static void check(MergeConfig merge, RunSchema schema) {
        if (!merge.isMerge()) {
            return;
        }
        String which = schema.isInferred() ? "the schema inferred from the CSV" : "schema " + schema.source();
        List<String> problems = problems(merge, AvroToIceberg.convert(schema.avro()), which,
                column -> schema.isInferred() ? " (" + evidence(schema, column) + ")" : "");
        if (!problems.isEmpty()) {
            throw new BadInputException(String.join("; ", problems));
        }
    }

    private static List<String> problems(MergeConfig merge, Schema schema, String which,
                                         Function<String, String> evidence) {
        List<String> problems = new ArrayList<>();
        for (String name : merge.key()) {
            Types.NestedField column = schema.findField(name);
            if (column == null) {
                problems.add("pipeline.table.key names " + name + ", which " + which + " lacks (its columns: "
                        + columns(schema) + ")");
            } else if (KeyColumns.kindOf(column.type()) == null) {
                problems.add("pipeline.table.key names " + name + ", a " + column.type() + " column of " + which
                        + "; a key is of whole numbers, decimals, text, dates, timestamps or booleans, whose values"
                        + " compare exactly");
            } else if (column.isOptional()) {
                problems.add("pipeline.table.key names " + name + ", which " + which + " makes optional"
                        + evidence.apply(name) + "; a key needs a value in every row: "
                        + (which.startsWith("schema ") ? "make the field required (\"type\": \"" + column.type()
                           + "\", not [\"null\", ...])" : "give it one, or name another column in pipeline.table.key"));
            }
        }
        merge.deleteWhen().ifPresent(name -> {
            Types.NestedField column = schema.findField(name);
            if (column == null) {
                problems.add("pipeline.table.deleteWhen names " + name + ", which " + which + " lacks (its columns: "
                        + columns(schema) + ")");
            } else if (column.type().typeId() != Type.TypeID.BOOLEAN) {
                problems.add("pipeline.table.deleteWhen names " + name + ", a " + column.type() + " column of "
                        + which + "; it must be a boolean column (true deletes the key's row)");
            }
        });
        return problems;
    }

    private static String columns(Schema schema) {
        return String.join(", ", schema.columns().stream().map(Types.NestedField::name).toList());
    }

    /** Why an inferred column is optional: the empty value that widened it, or the inference's sample. */
    private static String evidence(RunSchema schema, String column) {
        Map<String, RunSchema.Widening> last = new LinkedHashMap<>();
        schema.widenings().forEach(w -> last.put(w.column(), w));
        return Optional.ofNullable(last.get(column))
                .map(w -> "the value '" + w.value() + "' on line " + w.line())
                .orElse("an empty value among the first " + schema.sampleRows() + " rows");
    }
}
