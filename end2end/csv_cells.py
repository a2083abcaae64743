"""Reads a CSV file exported by V-SYS and prints its cells as JSON, so the browser test can
compare the file cell by cell with the screen.

usage: python3 csv_cells.py FILE (utf-8-sig|shift_jis) [--libreoffice]

Without --libreoffice the file is read with Python's csv module and the output is the rows of
cells. With it, LibreOffice Calc (headless) opens the file as a spreadsheet user's would, in the
file's encoding, and saves it again as UTF-8 CSV with every text cell quoted; the output is then
{"cells": rows of cells as LibreOffice shows them, "numeric": rows of whether each cell is a
number to LibreOffice}. Exits with 3 when LibreOffice is not installed.
"""
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile

# LibreOffice's numbers of the character sets (rtl_TextEncoding).
LIBREOFFICE_CHARSET = {"utf-8-sig": 76, "shift_jis": 64}


def python_cells(path, encoding):
    with open(path, newline="", encoding=encoding) as f:
        return list(csv.reader(f))


def fields_of(line):
    """Splits one line of LibreOffice's CSV into (text, quoted) pairs (RFC 4180)."""
    fields, text, quoted, inside, i = [], "", False, False, 0
    while i < len(line):
        c = line[i]
        if inside:
            if c == '"' and line[i + 1 : i + 2] == '"':
                text += '"'
                i += 1
            elif c == '"':
                inside = False
            else:
                text += c
        elif c == '"':
            inside, quoted = True, True
        elif c == ",":
            fields.append((text, quoted))
            text, quoted = "", False
        else:
            text += c
        i += 1
    fields.append((text, quoted))
    return fields


def libreoffice_cells(path, encoding):
    soffice = shutil.which("soffice")
    if soffice is None:
        sys.exit(3)
    charset = LIBREOFFICE_CHARSET[encoding]
    with tempfile.TemporaryDirectory() as work:
        out = os.path.join(work, "out")
        subprocess.run(
            [
                soffice,
                "--headless",
                "--norestore",
                f"-env:UserInstallation=file://{work}/profile",
                # Comma, double quote, the file's character set, from line 1.
                f"--infilter=CSV:44,34,{charset},1",
                # Saved as UTF-8, comma, double quote, cells as shown, every text cell quoted.
                "--convert-to",
                "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,true,true",
                "--outdir",
                out,
                path,
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
        (saved,) = os.listdir(out)
        with open(os.path.join(out, saved), newline="", encoding="utf-8-sig") as f:
            # The report's cells hold no line breaks, so a line is a row.
            lines = f.read().splitlines()
    rows = [fields_of(line) for line in lines if line != ""]
    return {
        "cells": [[text for text, _ in row] for row in rows],
        "numeric": [[not quoted and text != "" for text, quoted in row] for row in rows],
    }


path, encoding = sys.argv[1], sys.argv[2]
if "--libreoffice" in sys.argv[3:]:
    print(json.dumps(libreoffice_cells(path, encoding), ensure_ascii=False))
else:
    print(json.dumps(python_cells(path, encoding), ensure_ascii=False))
