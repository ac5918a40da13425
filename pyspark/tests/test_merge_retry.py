"""The job's merge planned again when another writer commits meanwhile, as the embedded engine's is.

The job's session caches tables (Iceberg's catalog default), as a spark-submit run's does: a compaction committed by
another writer after the job read the table (S3 Tables' maintenance does so on its own schedule) makes the MERGE's
commit fail Iceberg's validation; the job refreshes the table, counts and merges again from the new snapshot.
"""

import importlib.util
import json
import os

import pytest

from conftest import CATALOG, JOB
from test_merge import identity, products

NAMESPACE = "data"
CACHED = "cached"

_spec = importlib.util.spec_from_file_location("load_to_iceberg_retry", JOB)
job = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(job)


@pytest.fixture(scope="module")
def cached_catalog(spark, warehouse):
    """A second catalog on the tests' warehouse that caches tables, as the job's own session does by default."""
    prefix = "spark.sql.catalog.%s" % CACHED
    spark.conf.set(prefix, "org.apache.iceberg.spark.SparkCatalog")
    spark.conf.set(prefix + ".type", "hadoop")
    spark.conf.set(prefix + ".warehouse", warehouse)
    spark.conf.set(prefix + ".cache-enabled", "true")
    return CACHED


def merge_into(spark, table, path, *more):
    args = job.parse_args(["--input", path, "--catalog", CACHED, "--namespace", NAMESPACE, "--table", table,
                           "--mode", "merge", "--key", "product_id"] + list(more))
    return job.load(spark, args)


def snapshots(warehouse, table):
    folder = os.path.join(warehouse, NAMESPACE, table, "metadata")
    with open(os.path.join(folder, "version-hint.text")) as hint:
        version = hint.read().strip()
    with open(os.path.join(folder, "v%s.metadata.json" % version)) as metadata:
        return json.load(metadata)["snapshots"]


def test_a_merge_met_by_a_compaction_committed_meanwhile_merges_again_from_it(spark, cached_catalog, warehouse,
                                                                              tmp_path, monkeypatch):
    v1 = products(tmp_path / "v1.parquet", list(range(1, 101)), "Acme")
    v2 = products(tmp_path / "v2.parquet", list(range(91, 111)), "Zeta")
    merge_into(spark, "retried", v1, *identity("d1", "run-1"))

    warnings = []
    monkeypatch.setattr(job, "write_stderr", warnings.append)
    compactions = []

    def compact_meanwhile():
        # another writer, through a catalog of its own: the job's catalog still holds the table as it read it
        if not compactions:
            compactions.append(spark.sql(
                "CALL %s.system.rewrite_data_files(table => '%s.retried', options => map('rewrite-all', 'true'))"
                % (CATALOG, NAMESPACE)).collect())

    monkeypatch.setattr(job, "before_merge", compact_meanwhile)
    summary = merge_into(spark, "retried", v2, *identity("e2", "run-2"))

    assert compactions and compactions[0][0]["rewritten_data_files_count"] >= 1, compactions
    assert len(warnings) == 1 and "met a commit made meanwhile" in warnings[0] and "attempt 2 of 4" in warnings[0], \
        warnings
    rows = {r["product_id"]: r["brand"] for r in spark.table("%s.%s.retried" % (CATALOG, NAMESPACE)).collect()}
    assert len(rows) == 110
    assert all(rows[i] == ("Acme" if i <= 90 else "Zeta") for i in range(1, 111))
    assert (summary["rowsBefore"], summary["updated"], summary["inserted"]) == (100, 10, 10)
    # the compaction's snapshot, then the merge's own on top of it, carrying the input's identity
    history = snapshots(warehouse, "retried")
    assert [s["summary"]["operation"] for s in history[-2:]] == ["replace", "overwrite"]
    assert history[-1]["parent-snapshot-id"] == history[-2]["snapshot-id"]
    assert history[-1]["summary"]["pipeline.input-sha256"] == "e2" * 32


def test_a_merge_that_keeps_meeting_commits_gives_up_and_leaves_the_table_unchanged(spark, cached_catalog, warehouse,
                                                                                    tmp_path, monkeypatch):
    v1 = products(tmp_path / "v1.parquet", list(range(1, 21)), "Acme")
    v2 = products(tmp_path / "v2.parquet", list(range(11, 31)), "Zeta")
    merge_into(spark, "given_up", v1, *identity("f1", "run-1"))
    monkeypatch.setattr(job, "write_stderr", lambda text: None)

    def compact_meanwhile():
        spark.sql("CALL %s.system.rewrite_data_files(table => '%s.given_up', options => map('rewrite-all', 'true'))"
                  % (CATALOG, NAMESPACE)).collect()

    monkeypatch.setattr(job, "before_merge", compact_meanwhile)
    with pytest.raises(job.LoadError) as failure:
        merge_into(spark, "given_up", v2, *identity("g2", "run-2"))

    assert "met a commit made meanwhile 4 times and was given up" in str(failure.value)
    rows = {r["product_id"]: r["brand"] for r in spark.table("%s.%s.given_up" % (CATALOG, NAMESPACE)).collect()}
    assert rows == {i: "Acme" for i in range(1, 21)}
    assert [s["summary"]["operation"] for s in snapshots(warehouse, "given_up")][-1] == "replace"
