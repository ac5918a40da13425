package app;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import config.Datasets;
import config.TableConfig;

/** The catalogs the configured datasets' tables are in, each once: usually one, the data dir's warehouse. */
final class Catalogs {

    private Catalogs() {
    }

    /** One table configuration per catalog, to open the catalog with. */
    static List<TableConfig> of(Datasets datasets) {
        Map<String, TableConfig> catalogs = new LinkedHashMap<>();
        for (TableConfig table : datasets.tables()) {
            catalogs.putIfAbsent(table.catalogDescription(), table);
        }
        return new ArrayList<>(catalogs.values());
    }

    /** How the catalogs are named in a message: {@code the hadoop catalog at data/warehouse}. */
    static String describe(List<TableConfig> catalogs) {
        return String.join(" and ", catalogs.stream().map(TableConfig::catalogDescription).toList());
    }
}
