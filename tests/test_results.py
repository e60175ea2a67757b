"""The results files that ship in results/ are what `benchmark.py` writes: the same fields, the
same columns, the same rows, read and written by one pair of functions (course_lib.results)."""
import json

import pytest

import benchmark
import course
from course_lib.results import load_results, results_record, save_results

RESULTS = course.ROOT / "results"
SHIPPED = {  # file: the columns and the row names the benchmark writes into it
    "adder_ablation.json": (benchmark.ADDER_COLUMNS,
                            ["notebook 06's text GRU", *benchmark.ADDER_CHANGES, benchmark.TUTORIAL_ROW]),
    "lstm_study.json": (benchmark.LSTM_COLUMNS, ["notebook 06's text GRU", *benchmark.LSTM_STUDY]),
    "attention_adders.json": (benchmark.ATTENTION_ADDER_COLUMNS,
                              [*course.definitions("11", "ADDERS")["ADDERS"]] * 3),  # seeds 0, 1, 2
}


def fake_record():
    rows = [{"model": "a", "exact_match": 0.5, "seconds": 3}, {"model": "b", "exact_match": 1.0, "seconds": 4}]
    return results_record("python benchmark.py --fake", "a test machine", ["model", "exact_match", "seconds"], rows,
                          note="not a measurement", date="2026-12-01")


def test_a_written_record_reads_back_the_same(tmp_path):
    save_results(tmp_path / "deeper" / "fake.json", fake_record())
    assert load_results(tmp_path / "deeper" / "fake.json") == fake_record()
    assert results_record("c", "m", ["x"], [{"x": 1}])["date"][:2] == "20"  # today, ISO


@pytest.mark.parametrize("spoil, says", [
    (lambda record: record.pop("machine"), "exactly the fields"),
    (lambda record: record.update(date="1 December 2026"), "YYYY-MM-DD"),
    (lambda record: record["rows"][1].pop("seconds"), "every row has the keys"),
    (lambda record: record.update(rows=[]), "must not be empty"),
])
def test_a_malformed_record_is_neither_written_nor_read(tmp_path, spoil, says):
    record = fake_record()
    spoil(record)
    with pytest.raises(ValueError, match=says):
        save_results(tmp_path / "bad.json", record)
    (tmp_path / "bad.json").write_text(json.dumps(record), encoding="utf-8")
    with pytest.raises(ValueError, match=says):
        load_results(tmp_path / "bad.json")


@pytest.mark.parametrize("name", SHIPPED)
def test_the_shipped_results_are_in_the_benchmarks_format(name):
    record = load_results(RESULTS / name)
    columns, rows = SHIPPED[name]
    assert record["columns"] == columns
    assert [row["model"] for row in record["rows"]] == rows
    assert "benchmark.py --" + name.split(".")[0].replace("_", "-") in record["command"]
    for row in record["rows"]:
        assert 0 <= row["exact_match"] <= 1 and isinstance(row["seconds"], int)
        for count, score in row.get("along_the_way", []):
            assert isinstance(count, int) and 0 <= score <= 1
    assert benchmark.markdown_table(record)[2] == "| " + " | ".join(columns) + " |"


def test_the_shipped_files_are_written_as_save_results_writes_them(tmp_path):
    for name in SHIPPED:
        save_results(tmp_path / name, load_results(RESULTS / name))
        assert (tmp_path / name).read_text(encoding="utf-8") == (RESULTS / name).read_text(encoding="utf-8")
