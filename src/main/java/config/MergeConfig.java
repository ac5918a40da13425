package config;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * How {@code pipeline.table.mode=merge} matches the input's rows with the table's: the key columns
 * ({@code pipeline.table.key}), what two input rows with one key do ({@code pipeline.table.onDuplicateKey}), and the
 * boolean column whose true value deletes the key's row ({@code pipeline.table.deleteWhen}).
 */
public record MergeConfig(List<String> key, OnDuplicateKey onDuplicateKey, Optional<String> deleteWhen) {

    /** fail: the run fails naming both lines; last: the later row wins. */
    public enum OnDuplicateKey { FAIL, LAST }

    /** No merge: the table is overwritten or appended to. */
    public static final MergeConfig NONE = new MergeConfig(List.of(), OnDuplicateKey.FAIL, Optional.empty());

    public MergeConfig {
        key = List.copyOf(key);
    }

    /** The settings as given, checked against {@code mode}: a merge needs a key, the other modes take none. */
    static MergeConfig from(Settings s, TableConfig.Mode mode) {
        MergeConfig merge = read(s);
        if (mode != TableConfig.Mode.MERGE) {
            if (!merge.key.isEmpty()) {
                s.problem("pipeline.table.key is used by pipeline.table.mode=merge only, and the mode is "
                          + mode.name().toLowerCase() + "; set pipeline.table.mode=merge or leave the key empty");
            }
            merge.deleteWhen.ifPresent(column -> s.problem("pipeline.table.deleteWhen is used by"
                    + " pipeline.table.mode=merge only, and the mode is " + mode.name().toLowerCase()));
            return NONE;
        }
        if (merge.key.isEmpty()) {
            s.problem("pipeline.table.key is required when pipeline.table.mode is merge: the column(s) that identify"
                      + " a row, for example product_id or order_id,line");
        }
        Set<String> seen = new HashSet<>();
        for (String column : merge.key) {
            if (!Names.isValidColumn(column)) {
                s.problem("pipeline.table.key must name columns of " + Names.COLUMN_RULE + ", was '" + column + "'");
            } else if (!seen.add(column)) {
                s.problem("pipeline.table.key names the column " + column + " twice");
            }
        }
        merge.deleteWhen.ifPresent(column -> {
            if (!Names.isValidColumn(column)) {
                s.problem("pipeline.table.deleteWhen must name a column of " + Names.COLUMN_RULE + ", was '"
                          + column + "'");
            } else if (seen.contains(column)) {
                s.problem("pipeline.table.deleteWhen names " + column + ", a column of pipeline.table.key; it must"
                          + " be a boolean column of its own");
            }
        });
        return merge;
    }

    /** The settings as given, not checked (the table's settings check them once). */
    static MergeConfig read(Settings s) {
        return new MergeConfig(s.list("pipeline.table.key"),
                s.choice("pipeline.table.onDuplicateKey", OnDuplicateKey.class),
                s.optional("pipeline.table.deleteWhen"));
    }

    public boolean isMerge() {
        return !key.isEmpty();
    }
}
