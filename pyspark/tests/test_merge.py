"""The job's merge mode, its main() in the tests' SparkSession: MERGE INTO on a key, merge-on-read on a table the job
created (position deletes), the input's identity in the commit.

v1 (1,000 products) then v2 (100 of them changed, 50 new) leave 1,050 rows with v2's values; the same v2 again, or
v1 again, is skipped; two rows with one key fail, or the later one wins; a marked row deletes its key.
"""

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from conftest import CATALOG
from test_load_to_iceberg import table_metadata

NAMESPACE = "data"


def products(path, ids, brand, deleted=None):
    """A products Parquet as the app's convert writes it (product_id INT32 required), optionally a marker column."""
    fields = [pa.field("product_id", pa.int32(), nullable=False)] + [
        pa.field(c, pa.string(), nullable=False) for c in ("product_name", "product_category", "brand")]
    rows = [{"product_id": i, "product_name": "Product %d" % i, "product_category": "Books", "brand": b}
            for i, b in ids_and_brands(ids, brand)]
    if deleted is not None:
        fields.append(pa.field("deleted", pa.bool_(), nullable=True))
        for row, flag in zip(rows, deleted):
            row["deleted"] = flag
    pq.write_table(pa.Table.from_pylist(rows, schema=pa.schema(fields)), str(path))
    return str(path)


def ids_and_brands(ids, brand):
    brands = brand if isinstance(brand, list) else [brand] * len(ids)
    return list(zip(ids, brands))


def brands(spark, table):
    return {r["product_id"]: r["brand"] for r in spark.table("%s.%s.%s" % (CATALOG, NAMESPACE, table)).collect()}


def current_summary(warehouse, table):
    metadata = table_metadata(warehouse, NAMESPACE, table)
    snapshot = [s for s in metadata["snapshots"] if s["snapshot-id"] == metadata["current-snapshot-id"]][0]
    return snapshot["summary"]


def merge_args(table, *more):
    return ["--catalog", CATALOG, "--namespace", NAMESPACE, "--table", table, "--mode", "merge",
            "--key", "product_id"] + list(more)


def identity(sha, run):
    return ["--input-sha256", sha * 32, "--run-id", run]


@pytest.fixture(scope="module")
def merged(run_job_in_session, spark, warehouse, tmp_path_factory):
    """v1 merged into a new table, then v2, then v2 again; the table read after each."""
    inputs = tmp_path_factory.mktemp("merge")
    v1 = products(inputs / "v1.parquet", list(range(1, 1001)), "Acme")
    v2 = products(inputs / "v2.parquet", list(range(901, 1051)), "Zeta")
    steps = {}
    for name, path, args in (("v1", v1, identity("a1", "run-1")), ("v2", v2, identity("b2", "run-2")),
                             ("v2 again", v2, identity("b2", "run-3")), ("v1 again", v1, identity("a1", "run-4"))):
        result = run_job_in_session("--input", path, *merge_args("merged", *args))
        assert result.returncode == 0, "%s failed:\n%s" % (name, result.describe())
        steps[name] = (result.summary, brands(spark, "merged"), current_summary(warehouse, "merged"))
    return steps


def test_v2_replaces_changed_rows_adds_new_ones_and_keeps_the_rest(merged):
    summary, rows, _ = merged["v2"]
    assert len(rows) == 1050
    assert all(rows[i] == ("Acme" if i <= 900 else "Zeta") for i in range(1, 1051))
    assert summary["rowsInTable"] == 1050
    assert (summary["rowsBefore"], summary["rowsRemoved"], summary["rowsWritten"]) == (1000, 100, 150)
    assert (summary["inserted"], summary["updated"], summary["deleted"]) == (50, 100, 0)


def test_the_merge_commit_records_the_input_and_deletes_by_position(merged, warehouse):
    _, _, snapshot = merged["v2"]
    assert snapshot["pipeline.input-sha256"] == "b2" * 32
    assert snapshot["pipeline.run-id"] == "run-2"
    assert snapshot["pipeline.mode"] == "merge"
    assert table_metadata(warehouse, NAMESPACE, "merged")["properties"]["write.merge.mode"] == "merge-on-read"
    assert snapshot["added-position-deletes"] == "100", "the 100 replaced rows deleted by position, not rewritten"


def test_the_same_input_again_is_skipped_v1_too(merged):
    assert merged["v2 again"][0]["skipped"] is True
    assert merged["v2 again"][0]["loadedBy"] == "run-2"
    assert merged["v1 again"][0]["skipped"] is True, "the merge did not hide v1's commit"
    assert merged["v1 again"][0]["loadedBy"] == "run-1"
    assert merged["v1 again"][1] == merged["v2"][1]


def test_two_rows_with_one_key_fail_or_the_later_wins(run_job_in_session, spark, tmp_path):
    path = products(tmp_path / "twice.parquet", [1, 2, 3, 2], ["a", "first", "c", "later"])

    failed = run_job_in_session("--input", path, *merge_args("twice"))
    assert failed.returncode == 1, failed.describe()
    assert "have the key product_id = 2: rows 2 and 4 of twice.parquet" in failed.error_lines[-1], failed.describe()

    kept = run_job_in_session("--input", path, *merge_args("twice", "--on-duplicate-key", "last"))
    assert kept.returncode == 0, kept.describe()
    assert brands(spark, "twice") == {1: "a", 2: "later", 3: "c"}


def test_a_marked_row_deletes_its_key_and_the_marker_stays_false(run_job_in_session, spark, tmp_path):
    first = products(tmp_path / "first.parquet", [1, 2, 3, 4], "Acme", [False] * 4)
    second = products(tmp_path / "second.parquet", [2, 3, 9], ["Gone", "Zeta", "Never"], [True, None, True])
    marker = ["--delete-when", "deleted"]

    assert run_job_in_session("--input", first, *merge_args("marked", *marker)).returncode == 0
    result = run_job_in_session("--input", second, *merge_args("marked", *marker))

    assert result.returncode == 0, result.describe()
    assert brands(spark, "marked") == {1: "Acme", 3: "Zeta", 4: "Acme"}
    assert (result.summary["inserted"], result.summary["updated"], result.summary["deleted"]) == (0, 1, 1)
    assert {r["deleted"] for r in spark.table("%s.%s.marked" % (CATALOG, NAMESPACE)).collect()} <= {False, None}


def test_a_key_the_table_holds_twice_is_left_once(run_job_in_session, spark, tmp_path):
    first = products(tmp_path / "first.parquet", [1, 2], "Acme")
    again = products(tmp_path / "again.parquet", [2, 3], "Acme")
    append = ["--catalog", CATALOG, "--namespace", NAMESPACE, "--table", "held_twice", "--mode", "append"]
    assert run_job_in_session("--input", first, *append).returncode == 0
    assert run_job_in_session("--input", again, *append).returncode == 0
    update = products(tmp_path / "update.parquet", [2], "Zeta")

    result = run_job_in_session("--input", update, *merge_args("held_twice"))

    assert result.returncode == 0, result.describe()
    assert sorted((r["product_id"], r["brand"]) for r in
                  spark.table("%s.%s.held_twice" % (CATALOG, NAMESPACE)).collect()) == [(1, "Acme"), (2, "Zeta"),
                                                                                         (3, "Acme")]
    assert (result.summary["rowsBefore"], result.summary["rowsRemoved"], result.summary["rowsWritten"],
            result.summary["rowsInTable"]) == (4, 2, 1, 3)


def test_a_merge_into_an_empty_table_inserts_every_row(run_job_in_session, spark, tmp_path):
    spark.sql("CREATE TABLE %s.%s.empty (product_id INT NOT NULL, product_name STRING, product_category STRING,"
              " brand STRING) USING iceberg TBLPROPERTIES ('format-version'='2')" % (CATALOG, NAMESPACE))
    path = products(tmp_path / "first.parquet", [1, 2, 3], "Acme")

    result = run_job_in_session("--input", path, *merge_args("empty", *identity("c3", "run-1")))

    assert result.returncode == 0, result.describe()
    assert brands(spark, "empty") == {1: "Acme", 2: "Acme", 3: "Acme"}
    assert (result.summary["rowsBefore"], result.summary["inserted"], result.summary["rowsInTable"]) == (0, 3, 3)
