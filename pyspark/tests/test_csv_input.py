"""The job's CSV reader (convert on Spark): the app's convert rules, read in the test session's SparkSession."""

import argparse
import gzip
import importlib.util

import pytest

from conftest import JOB

_spec = importlib.util.spec_from_file_location("load_to_iceberg", JOB)
job = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(job)

PRODUCTS = [{"name": "product_id", "type": "int", "nullable": False},
            {"name": "product_name", "type": "string", "nullable": False},
            {"name": "product_category", "type": "string", "nullable": False},
            {"name": "brand", "type": "string", "nullable": False}]


def spec(fields=PRODUCTS, **overrides):
    s = {"delimiter": ",", "quote": '"', "nullString": "", "strict": False, "onBadRow": "fail", "maxRejects": 100,
         "dateFormat": "yyyy-MM-dd", "timestampFormat": "iso", "timeZone": "UTC", "charset": "UTF-8",
         "maxFieldsPerRecord": 10000, "maxFieldBytes": 8 << 20, "fields": [dict(f) for f in fields]}
    s.update(overrides)
    return s


def read(spark, tmp_path, content, the_spec, name="input.csv"):
    path = tmp_path / name
    data = content.encode("utf-8") if isinstance(content, str) else content
    path.write_bytes(gzip.compress(data) if name.endswith(".gz") else data)
    args = argparse.Namespace(input=str(path), source=None, rejects=str(tmp_path / "rejects.csv"))
    spark.conf.set("spark.sql.session.timeZone", the_spec["timeZone"])
    spark.conf.set("spark.sql.legacy.timeParserPolicy", "CORRECTED")
    df, rows_read, rejected, rejects = job.read_csv_input(spark, args, the_spec)
    rows = [tuple(r) for r in df.orderBy(job._ROW).drop(job._ROW).collect()]
    return rows, rows_read, rejected, rejects


def test_quoted_fields_bom_crlf_and_reordered_columns(spark, tmp_path):
    csv = ('\ufeffbrand,Product Name,product_id,product_category\r\n'
           'BenQ,"Lamp, desk",1,Home\r\n'
           '"Levi\'s","Jacket\r\n""denim""",2,Apparel\r\n')
    rows, rows_read, rejected, _ = read(spark, tmp_path, csv, spec())
    # Spark's parser (univocity) turns a line end inside quotes into "\n", where the app keeps "\r\n"
    assert rows == [(1, "Lamp, desk", "Home", "BenQ"), (2, 'Jacket\n"denim"', "Apparel", "Levi's")]
    assert (rows_read, rejected) == (2, 0)


def test_gzip_input_reads_as_its_plain_text(spark, tmp_path):
    rows, _, _, _ = read(spark, tmp_path, "product_id,product_name,product_category,brand\n1,Lamp,Home,BenQ\n",
                         spec(), name="input.csv.gz")
    assert rows == [(1, "Lamp", "Home", "BenQ")]


def test_empty_values_are_null_in_nullable_fields_and_empty_strings_in_required_ones(spark, tmp_path):
    fields = PRODUCTS[:2] + [{"name": "price", "type": "decimal(10,2)", "nullable": True},
                             {"name": "seen", "type": "date", "nullable": True},
                             {"name": "at", "type": "timestamp", "nullable": True},
                             {"name": "ok", "type": "boolean", "nullable": True}]
    csv = "product_id,product_name,price,seen,at,ok\n1,,,,,\n2,Mat,3.5,2026-03-01,2026-03-01T08:15:00+01:00,yes\n"
    rows, _, _, _ = read(spark, tmp_path, csv, spec(fields))
    assert rows[0] == (1, "", None, None, None, None)
    assert str(rows[1][2]) == "3.50" and str(rows[1][3]) == "2026-03-01" and rows[1][5] is True


def test_a_bad_row_fails_naming_column_value_and_reason(spark, tmp_path):
    csv = "product_id,product_name,product_category,brand\n1,Lamp,Home,BenQ\nabc,Jacket,Apparel,Levi's\n"
    with pytest.raises(job.LoadError, match="column product_id, value 'abc': not an int"):
        read(spark, tmp_path, csv, spec())


def test_skipped_rows_go_to_the_rejects_file(spark, tmp_path):
    csv = ("product_id,product_name,product_category,brand\n1,Lamp,Home,BenQ\nabc,\"Jacket, denim\",Apparel,Levi's\n"
           "3,Plate,Home\n4,Pan,Kitchen,Lodge\n")
    rows, rows_read, rejected, rejects = read(spark, tmp_path, csv, spec(onBadRow="skip"))
    assert [r[0] for r in rows] == [1, 4]
    assert (rows_read, rejected) == (4, 2)
    text = (tmp_path / "rejects.csv").read_text()
    assert text.splitlines()[0] == "line,reason,original"
    assert "column product_id, value 'abc': not an int" in text and '"abc,""Jacket, denim"",Apparel,Levi\'s"' in text
    assert "expected 4 fields as in the header" in text and "3,Plate,Home" in text


def test_more_rejects_than_allowed_fail(spark, tmp_path):
    csv = "product_id,product_name,product_category,brand\nx,a,b,c\ny,a,b,c\n"
    with pytest.raises(job.LoadError, match=r"more than 1 rows were rejected \(pipeline.convert.maxRejects\)"):
        read(spark, tmp_path, csv, spec(onBadRow="skip", maxRejects=1))


def test_a_missing_required_column_fails_naming_it(spark, tmp_path):
    with pytest.raises(job.LoadError, match="the header has no column for the required field[(]s[)] brand"):
        read(spark, tmp_path, "product_id,product_name,product_category\n1,Lamp,Home\n", spec())


@pytest.mark.parametrize("header, field, expected", [
    ("Start Station", "start_station", "start_station"), ("tripId", "trip_id", "trip_id"),
    ("HTTPCode", "http_code", "http_code"), ("Crème", "creme", "creme"), ("1st", "column_1st", "column_1st"),
])
def test_header_names_match_as_the_app_names_them(header, field, expected):
    assert job.snake_case(header, 0) == expected
    assert job.map_columns([header], [{"name": field, "nullable": False}], False, ",") == [0]


def test_a_row_of_another_field_count_is_rejected_saying_how_many(spark, tmp_path):
    csv = "product_id,product_name,product_category,brand\n1,Lamp,Home,BenQ\n2,\"Mat, yoga\",Sports\n3,a,b,c,d\n"
    rows, _, rejected, _ = read(spark, tmp_path, csv, spec(onBadRow="skip"))
    assert [r[0] for r in rows] == [1] and rejected == 2
    text = (tmp_path / "rejects.csv").read_text()
    assert "expected 4 fields as in the header, found 3" in text and "expected 4 fields as in the header, found 5" in text
