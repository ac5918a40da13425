"""The pipeline's local job in a short script, the reference of bench.WholeRunBenchmark: pyarrow reads the CSV with
the four column types, pyiceberg writes it into a SqlCatalog (sqlite) table, then a full scan counts the rows.

usage: pyiceberg_load.py <products.csv> <warehouse dir>"""
import os
import sys

import pyarrow as pa
import pyarrow.csv as pacsv
from pyiceberg.catalog.sql import SqlCatalog

source, warehouse = sys.argv[1], os.path.abspath(sys.argv[2])
types = {"product_id": pa.int32(), "product_name": pa.string(), "product_category": pa.string(), "brand": pa.string()}
rows = pacsv.read_csv(source, convert_options=pacsv.ConvertOptions(column_types=types))

os.makedirs(warehouse, exist_ok=True)
catalog = SqlCatalog("bench", uri=f"sqlite:///{warehouse}/catalog.db", warehouse=f"file://{warehouse}")
catalog.create_namespace_if_not_exists("data")
table = catalog.create_table_if_not_exists("data.products", schema=rows.schema)
table.overwrite(rows)

scanned = table.scan().to_arrow().num_rows
print(f"rows {scanned}")
sys.exit(0 if scanned == rows.num_rows else 1)
