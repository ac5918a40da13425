"""End-to-end tests of pyspark/load_to_iceberg.py (local[2], Hadoop catalog).

spark-submit runs are the expensive part (a JVM each): the first load of the
overwrite -> overwrite -> append sequence, a usage error, a missing input and an
unconfigured catalog run as spark-submit processes (exit codes, the summary
alone on stdout, messages on stderr); the other loads call the job's main() in
the tests' SparkSession. The sequence runs once in a module fixture and several
tests assert on its recorded results.
"""

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import CATALOG, COLUMNS, SAMPLE_CSV, read_csv_rows

NAMESPACE = "data"
TABLE = "products"
FQ_TABLE = "%s.%s.%s" % (CATALOG, NAMESPACE, TABLE)


def table_rows(spark, name):
    return sorted(tuple(r[c] for c in COLUMNS) for r in spark.table(name).collect())


def table_metadata(warehouse, namespace, table):
    """The table's current metadata JSON, read straight from the Hadoop catalog's files."""
    meta_dir = Path(warehouse) / namespace / table / "metadata"
    version = int((meta_dir / "version-hint.text").read_text().strip())
    return json.loads((meta_dir / ("v%d.metadata.json" % version)).read_text())


@dataclass
class Step:
    result: object
    rows: list
    metadata: dict

    @property
    def snapshot_id(self):
        return self.metadata["current-snapshot-id"]


@pytest.fixture(scope="module")
def load_sequence(run_job, run_job_in_session, products_parquet, spark, warehouse):
    """overwrite (all defaults, spark-submit), overwrite again, then append; table state recorded after each."""
    explicit = ["--catalog", CATALOG, "--namespace", NAMESPACE, "--table", TABLE]
    steps = {}
    for name, run, args in (
        ("overwrite1", run_job, ["--input", products_parquet]),
        ("overwrite2", run_job_in_session, ["--input", products_parquet, "--mode", "overwrite"] + explicit),
        ("append", run_job_in_session, ["--input", products_parquet, "--mode", "append"] + explicit),
    ):
        result = run(*args)
        assert result.returncode == 0, "%s failed:\n%s" % (name, result.describe())
        assert result.summary is not None, "%s printed no summary:\n%s" % (name, result.describe())
        steps[name] = Step(result, table_rows(spark, FQ_TABLE), table_metadata(warehouse, NAMESPACE, TABLE))
    return steps


def test_input_fixture_matches_sample_csv(products_parquet, expected_rows):
    import pyarrow as pa
    import pyarrow.parquet as pq

    csv_rows = sorted(read_csv_rows(SAMPLE_CSV))
    assert len(csv_rows) == 20
    assert [r[0] for r in csv_rows] == list(range(1, 21))
    assert expected_rows == csv_rows

    schema = pq.read_schema(products_parquet)
    assert schema.names == list(COLUMNS)
    assert schema.field("product_id").type == pa.int32()
    for name in COLUMNS[1:]:
        assert pa.types.is_string(schema.field(name).type) or pa.types.is_large_string(schema.field(name).type)
    assert not any(schema.field(name).nullable for name in COLUMNS), schema


def test_overwrite_loads_input_rows_exactly(load_sequence, expected_rows, spark):
    step = load_sequence["overwrite1"]
    assert len(step.rows) == 20
    assert step.rows == expected_rows
    assert step.metadata["format-version"] == 2
    fields = {f.name: f.dataType.simpleString() for f in spark.table(FQ_TABLE).schema.fields}
    assert fields == {
        "product_id": "int",
        "product_name": "string",
        "product_category": "string",
        "brand": "string",
    }


def test_summary_line_is_json_with_counts_and_snapshot(load_sequence, spark):
    step = load_sequence["overwrite1"]
    stdout_lines = [l for l in step.result.stdout.splitlines() if l.strip()]
    summary_lines = [l for l in stdout_lines if l.startswith("LOAD_SUMMARY ")]
    assert len(summary_lines) == 1, step.result.describe()
    summary = json.loads(summary_lines[0][len("LOAD_SUMMARY "):])
    assert summary == {
        "table": FQ_TABLE,
        "mode": "overwrite",
        "rowsWritten": 20,
        "snapshotId": step.snapshot_id,
        "rowsInTable": 20,
        "ledger": "%s.%s_loads" % (NAMESPACE, TABLE),
        "ledgerRecorded": False,
    }
    assert isinstance(summary["snapshotId"], int)
    # no --input-sha256: nothing to find a load by, so no ledger row and no ledger table
    assert not spark.catalog.tableExists("%s_loads" % FQ_TABLE)


def test_second_overwrite_replaces_contents(load_sequence, expected_rows):
    first, second = load_sequence["overwrite1"], load_sequence["overwrite2"]
    assert second.rows == expected_rows
    assert second.snapshot_id != first.snapshot_id
    assert second.result.summary["snapshotId"] == second.snapshot_id
    assert second.result.summary["rowsWritten"] == 20
    assert second.result.summary["rowsInTable"] == 20
    assert second.metadata["format-version"] == 2


def test_append_after_overwrite_adds_rows(load_sequence, expected_rows):
    step = load_sequence["append"]
    assert len(step.rows) == 40
    assert step.rows == sorted(expected_rows * 2)
    assert step.result.summary["mode"] == "append"
    assert step.result.summary["rowsWritten"] == 20
    assert step.result.summary["rowsInTable"] == 40
    assert step.result.summary["snapshotId"] == step.snapshot_id
    assert step.snapshot_id != load_sequence["overwrite2"].snapshot_id


def test_append_with_mismatched_schema_fails_and_leaves_table_unchanged(
    load_sequence, run_job_in_session, spark, warehouse, tmp_path, expected_rows
):
    import pyarrow as pa
    import pyarrow.parquet as pq

    bad = pa.table(
        {
            "product_id": pa.array(["x1", "x2"], pa.string()),  # int in the table
            "product_name": ["A", "B"],
            "product_category": ["C", "D"],
            "brand": ["E", "F"],
            "unit_price": pa.array([9.99, 19.99], pa.float64()),  # not in the table
        }
    )
    bad_path = tmp_path / "bad_products.parquet"
    pq.write_table(bad, str(bad_path))
    before = load_sequence["append"]

    result = run_job_in_session("--input", bad_path, "--mode", "append")

    assert result.returncode == 2, result.describe()
    assert result.summary is None, result.describe()
    assert len(result.error_lines) == 1, result.describe()
    message = result.error_lines[0]
    assert "does not match table %s" % FQ_TABLE in message
    assert "column(s) not in table: unit_price" in message
    assert "type mismatch: product_id (input string, table int)" in message
    assert "Traceback" not in result.stderr

    assert table_rows(spark, FQ_TABLE) == before.rows == sorted(expected_rows * 2)
    assert table_metadata(warehouse, NAMESPACE, TABLE)["current-snapshot-id"] == before.snapshot_id


def test_missing_input_fails_naming_the_path(run_job, tmp_path):
    missing = tmp_path / "no-such-dir" / "products.parquet"

    result = run_job("--input", missing, "--table", "never_created")

    assert result.returncode != 0, result.describe()
    assert result.summary is None, result.describe()
    assert result.error_lines == ["ERROR: input path does not exist: %s" % missing], result.describe()


def test_append_creates_namespace_and_table_when_missing(run_job_in_session, products_parquet, spark, warehouse,
                                                        expected_rows):
    identity = ["--input-sha256", "cd" * 32, "--run-id", "run-new"]
    result = run_job_in_session("--input", products_parquet, "--mode", "append", "--namespace", "staging",
                                "--table", "products_new", *identity)

    assert result.returncode == 0, result.describe()
    meta = table_metadata(warehouse, "staging", "products_new")
    assert meta["format-version"] == 2
    assert table_rows(spark, "%s.staging.products_new" % CATALOG) == expected_rows
    assert result.summary == {
        "table": "%s.staging.products_new" % CATALOG,
        "mode": "append",
        "rowsWritten": 20,
        "snapshotId": meta["current-snapshot-id"],
        "rowsInTable": 20,
        "ledger": "staging.products_new_loads",
        "ledgerRecorded": True,
    }
    # the ledger is created beside the new table, its one row the load just committed
    ledger = spark.sql("SELECT snapshot_id, input_sha256, run_id, operation, replaces_rows"
                       " FROM %s.staging.products_new_loads" % CATALOG).collect()
    assert [tuple(r) for r in ledger] == [(meta["current-snapshot-id"], "cd" * 32, "run-new", "append", False)]


def test_a_write_that_fails_on_a_new_table_leaves_no_table_and_no_namespace(run_job_in_session, products_parquet,
                                                                          warehouse, tmp_path):
    # the footer intact (the job counts the rows from it), the pages destroyed: the write fails before its commit
    data = bytearray(Path(products_parquet).read_bytes())
    for i in range(4, len(data) // 2):
        data[i] = 0x5A
    corrupt = tmp_path / "corrupt.parquet"
    corrupt.write_bytes(bytes(data))

    for mode in ("overwrite", "append"):
        result = run_job_in_session("--input", corrupt, "--mode", mode, "--namespace", "fresh_" + mode,
                                    "--table", "never")

        assert result.returncode != 0, result.describe()
        assert result.summary is None, result.describe()
        assert not (Path(warehouse) / ("fresh_" + mode)).exists(), result.describe()


def test_unconfigured_catalog_is_a_clear_error(run_job, products_parquet):
    result = run_job("--input", products_parquet, "--catalog", "nosuchcatalog")

    assert result.returncode == 2, result.describe()
    assert result.summary is None
    assert len(result.error_lines) == 1, result.describe()
    assert "catalog 'nosuchcatalog' is not configured" in result.error_lines[0]
    assert "spark.sql.catalog.nosuchcatalog" in result.error_lines[0]


def test_usage_error_under_spark_submit_goes_to_stderr(run_job):
    result = run_job("--input", "whatever.parquet", "--mode", "upsert")

    assert result.returncode == 2, result.describe()
    assert result.stdout.strip() == "", result.describe()
    assert result.error_lines == [
        "ERROR: argument --mode: invalid choice: 'upsert' (choose from 'overwrite', 'append', 'merge')"
    ], result.describe()


def test_commit_records_input_identity_and_same_input_is_skipped(run_job_in_session, products_parquet, spark,
                                                                 warehouse):
    table = ["--catalog", CATALOG, "--namespace", NAMESPACE, "--table", "identity", "--mode", "append"]
    identity = ["--input-sha256", "ab" * 32, "--run-id", "run-1", "--trigger", "file", "--source", "products.csv"]

    first = run_job_in_session("--input", products_parquet, *(table + identity))
    assert first.returncode == 0, first.describe()
    metadata = table_metadata(warehouse, NAMESPACE, "identity")
    current = [s for s in metadata["snapshots"] if s["snapshot-id"] == metadata["current-snapshot-id"]][0]
    assert current["summary"]["pipeline.input-sha256"] == "ab" * 32
    assert current["summary"]["pipeline.run-id"] == "run-1"
    assert current["summary"]["pipeline.trigger"] == "file"
    assert current["summary"]["pipeline.source"] == "products.csv"
    rows = first.summary["rowsInTable"]

    again = run_job_in_session("--input", products_parquet, *(table + identity[:2] + ["--run-id", "run-2"]))
    assert again.returncode == 0, again.describe()
    assert again.summary["skipped"] is True
    assert again.summary["snapshotId"] == metadata["current-snapshot-id"]
    assert again.summary["loadedBy"] == "run-1"
    assert table_metadata(warehouse, NAMESPACE, "identity")["current-snapshot-id"] == metadata["current-snapshot-id"]

    reloaded = run_job_in_session("--input", products_parquet, *(table + identity + ["--reload-same-input"]))
    assert reloaded.returncode == 0, reloaded.describe()
    assert reloaded.summary["rowsInTable"] == 2 * rows


def test_the_ledger_outlives_snapshot_expiry_and_compaction(run_job_in_session, products_parquet, spark):
    table = ["--catalog", CATALOG, "--namespace", NAMESPACE, "--table", "ledgered", "--mode", "append"]
    name = "%s.%s.ledgered" % (CATALOG, NAMESPACE)

    def identity(input_sha, run):
        return ["--input-sha256", input_sha, "--run-id", run, "--trigger", "file", "--source", run + ".csv"]

    first = run_job_in_session("--input", products_parquet, *(table + identity("aa" * 32, "run-a")))
    assert first.returncode == 0, first.describe()
    assert (first.summary["ledger"], first.summary["ledgerRecorded"]) == ("%s.ledgered_loads" % NAMESPACE, True)
    second = run_job_in_session("--input", products_parquet, *(table + identity("bb" * 32, "run-b")))
    assert second.returncode == 0, second.describe()
    rows = second.summary["rowsInTable"]

    # what S3 Tables' maintenance does: compact every file (a replace snapshot of the whole table), expire the rest
    spark.sql("REFRESH TABLE %s" % name)
    spark.sql("CALL %s.system.rewrite_data_files(table => '%s.ledgered', options => map('rewrite-all', 'true'))"
              % (CATALOG, NAMESPACE))
    spark.sql("CALL %s.system.expire_snapshots(table => '%s.ledgered', older_than => TIMESTAMP '9999-01-01 00:00:00',"
              " retain_last => 1)" % (CATALOG, NAMESPACE))
    spark.sql("REFRESH TABLE %s" % name)
    assert [r["operation"] for r in spark.sql("SELECT operation FROM %s.snapshots" % name).collect()] == ["replace"]

    again = run_job_in_session("--input", products_parquet, *(table + identity("aa" * 32, "run-c")))
    assert again.returncode == 0, again.describe()
    assert again.summary["skipped"] is True, again.describe()
    assert (again.summary["loadedBy"], again.summary["snapshotId"]) == ("run-a", first.summary["snapshotId"])
    assert again.summary["ledger"] == "%s.ledgered_loads" % NAMESPACE
    spark.sql("REFRESH TABLE %s" % name)
    assert spark.table(name).count() == rows
    ledger = spark.sql("SELECT run_id, operation, replaces_rows FROM %s_loads ORDER BY sequence_number" % name)
    assert [tuple(r) for r in ledger.collect()] == [("run-a", "append", False), ("run-b", "append", False)]
