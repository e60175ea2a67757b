"""Results files: figures a notebook cannot afford to compute, measured by `benchmark.py` and
shipped in results/ (notebook 06 shows the adder's). One JSON object per file:

    {"command": "OMP_NUM_THREADS=1 python benchmark.py --adder-ablation",   # what measured them
     "machine": "x86_64, 2 cores, 1 PyTorch thread, torch 2.13.0; 2048x2048 float32 matmul: 215 GFLOP/s",
     "date": "2026-11-24",                                                   # ISO date of the run
     "note": "",                                                             # anything else a reader must know
     "columns": ["model", "exact_match", "seconds"],                         # the keys of every row
     "rows": [{"model": "notebook 06's text GRU", "exact_match": 0.999, "seconds": 97}, ...]}

Accuracies are fractions (0.999, not 99.9). `save_results` and `load_results` both check this
form, so a file the benchmark writes is a file the notebooks and tests can read.
"""
import datetime
import json
import re
from pathlib import Path

FIELDS = {"command": str, "machine": str, "date": str, "note": str, "columns": list, "rows": list}


def results_record(command, machine, columns, rows, note="", date=None):
    """A results file's content; `date` defaults to today."""
    date = date or datetime.date.today().isoformat()
    return {"command": command, "machine": machine, "date": date, "note": note,
            "columns": list(columns), "rows": [dict(row) for row in rows]}


def check_record(record):
    """Raise ValueError saying what is wrong when `record` is not a results file's content."""
    if not isinstance(record, dict) or set(record) != set(FIELDS):
        raise ValueError(f"a results record has exactly the fields {list(FIELDS)}")
    for field, kind in FIELDS.items():
        if not isinstance(record[field], kind):
            raise ValueError(f"{field} should be a {kind.__name__}, got {record[field]!r:.60}")
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", record["date"]):
        raise ValueError(f"date should be YYYY-MM-DD, got {record['date']!r}")
    if not record["command"] or not record["machine"] or not record["rows"]:
        raise ValueError("command, machine and rows must not be empty")
    for row in record["rows"]:
        if not isinstance(row, dict) or list(row) != record["columns"]:
            raise ValueError(f"every row has the keys {record['columns']} in that order, not {row!r:.80}")


def save_results(path, record):
    """Check `record` and write it to `path` as JSON, one line per field and per row (creating its folder)."""
    check_record(record)
    fields = [f"{json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}" for key, value in record.items()
              if key != "rows"]
    rows = ",\n  ".join(json.dumps(row, ensure_ascii=False) for row in record["rows"])
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("{" + ",\n ".join(fields) + f',\n "rows": [\n  {rows}\n ]}}\n', encoding="utf-8")


def load_results(path):
    """The checked content of a results file."""
    record = json.loads(Path(path).read_text(encoding="utf-8"))
    check_record(record)
    return record


def provenance(record):
    """Where a record's figures come from, as lines to print: command, machine, date and note."""
    lines = [f"command: {record['command']}", f"machine: {record['machine']}", f"date:    {record['date']}"]
    return "\n".join(lines + ([f"note:    {record['note']}"] if record["note"] else []))
