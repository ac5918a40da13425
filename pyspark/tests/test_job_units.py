"""Fast checks of load_to_iceberg.py's pure-Python parts (no JVM needed)."""

import pytest
from pyspark.sql.types import DoubleType, IntegerType, LongType, StringType, StructField, StructType

from conftest import load_job_module

job = load_job_module()

TABLE_SCHEMA = StructType(
    [
        StructField("product_id", IntegerType(), True),
        StructField("product_name", StringType(), True),
        StructField("product_category", StringType(), True),
        StructField("brand", StringType(), True),
    ]
)


def test_defaults_match_the_walkthrough():
    args = job.parse_args(["--input", "s3://bucket/products.parquet"])
    assert (args.input, args.catalog, args.namespace, args.table, args.mode) == (
        "s3://bucket/products.parquet", "s3tablesbucket", "data", "products", "overwrite")


@pytest.mark.parametrize(
    "argv, fragment",
    [
        ([], "--input"),
        (["--input", "x", "--mode", "upsert"], "invalid choice: 'upsert'"),
        (["--input", "x", "--mode", "merge"], "--mode merge needs --key"),
        (["--input", "x", "--key", "id"], "--key and --delete-when are for --mode merge only"),
        (["--input", "x", "--table", "bad name"], "--table 'bad name' is not a valid name"),
        (["--input", "x", "--namespace", "a`b"], "--namespace 'a`b' is not a valid name"),
        (["--input", "x", "--table-location-prefix", "/tmp/t"], "--table-location-prefix must be an s3:// URI"),
    ],
)
def test_bad_arguments_are_usage_errors(argv, fragment):
    with pytest.raises(job.UsageError) as info:
        job.parse_args(argv)
    assert fragment in str(info.value)
    assert info.value.usage.startswith("usage: load_to_iceberg.py")


def test_main_reports_usage_error_with_exit_2(capsys, monkeypatch):
    # No driver JVM here (if the session's reader JVM exists, keep output in Python's stderr).
    monkeypatch.setattr(job, "_jvm", lambda: None)
    assert job.main(["--input", "x", "--mode", "upsert"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "ERROR: argument --mode: invalid choice: 'upsert'" in captured.err.splitlines()[-1]


def test_merge_arguments_are_read():
    args = job.parse_args(["--input", "x", "--mode", "merge", "--key", "order_id, line", "--on-duplicate-key",
                           "last", "--delete-when", "deleted"])
    assert (args.keys, args.on_duplicate_key, args.delete_when) == (["order_id", "line"], "last", "deleted")


def test_identical_schemas_have_no_differences_ignoring_nullability_and_case():
    same = StructType([StructField(f.name.upper(), f.dataType, False) for f in TABLE_SCHEMA.fields])
    assert job.schema_differences(same, TABLE_SCHEMA) == []
    # Column order does not matter: writeTo(...).append() matches columns by name.
    assert job.schema_differences(StructType(list(reversed(TABLE_SCHEMA.fields))), TABLE_SCHEMA) == []


def test_case_sensitive_comparison_reports_renamed_column():
    upper = StructType([StructField("PRODUCT_ID", IntegerType())] + TABLE_SCHEMA.fields[1:])
    assert job.schema_differences(upper, TABLE_SCHEMA, case_sensitive=True) == [
        "column(s) not in table: PRODUCT_ID",
        "column(s) missing from input: product_id",
    ]


def test_all_kinds_of_differences_are_named():
    other = StructType(
        [
            StructField("product_id", LongType()),
            StructField("product_name", StringType()),
            StructField("brand", StringType()),
            StructField("price", DoubleType()),
        ]
    )
    assert job.schema_differences(other, TABLE_SCHEMA) == [
        "column(s) not in table: price",
        "column(s) missing from input: product_category",
        "type mismatch: product_id (input bigint, table int)",
    ]


def test_identifiers_are_backtick_quoted():
    assert job.quote("products") == "`products`"
    assert job.quote("we`ird") == "`we``ird`"


def test_tables_the_job_creates_get_the_location_prefix_only_when_given():
    args = job.parse_args(["--input", "x", "--namespace", "data", "--table", "products"])
    assert job.new_table_location(args, "products_loads") is None  # S3 Tables chooses it
    args = job.parse_args(["--input", "x", "--namespace", "data", "--table", "products",
                           "--table-location-prefix", "s3://lake/tables/"])
    assert job.new_table_location(args, "products") == "s3://lake/tables/data/products"
    assert job.new_table_location(args, "products_loads") == "s3://lake/tables/data/products_loads"
