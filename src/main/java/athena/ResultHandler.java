package athena;

import java.io.IOException;
import java.util.List;

/** Receives a query's result: the column names once, then every row (values as text, null for NULL). */
interface ResultHandler {

    void columns(List<String> names) throws IOException;

    void row(List<String> values) throws IOException;
}
