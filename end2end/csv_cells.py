"""Reads a CSV file exported by V-SYS with Python's csv module and prints its cells as JSON, so
the browser test can compare the file cell by cell with the screen.

usage: python3 csv_cells.py FILE (utf-8-sig|shift_jis)
"""
import csv
import json
import sys

path, encoding = sys.argv[1], sys.argv[2]
with open(path, newline="", encoding=encoding) as f:
    rows = list(csv.reader(f))
print(json.dumps(rows, ensure_ascii=False))
