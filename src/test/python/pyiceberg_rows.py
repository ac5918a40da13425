"""Every row of an Iceberg table as pyiceberg reads it (a StaticTable over the table's metadata file), one JSON array
a line in column order, ordered by the first column: a test's look at what the app wrote, through another reader.

usage: pyiceberg_rows.py <metadata.json>"""
import json
import sys

from pyiceberg.table import StaticTable

arrow = StaticTable.from_metadata(sys.argv[1]).scan().to_arrow()
rows = sorted(arrow.to_pylist(), key=lambda row: row[arrow.column_names[0]])
for row in rows:
    print(json.dumps([row[column] for column in arrow.column_names], default=str))
