"""results/recall_budget.json, which notebook 09 shows, is what `benchmark.py --recall-budget` writes."""
import benchmark
import course
from course_lib.results import load_results, save_results

SHIPPED = course.ROOT / "results" / "recall_budget.json"


def test_the_recall_budget_results_are_in_the_benchmarks_format(tmp_path):
    record = load_results(SHIPPED)
    assert "benchmark.py --recall-budget" in record["command"] and record["note"]
    assert record["columns"] == benchmark.RECALL_COLUMNS
    assert sorted((row["cell"], row["seed"]) for row in record["rows"]) == sorted(
        (cell, seed) for cell in ("tanh RNN", "GRU", "LSTM") for seed in (0, 1, 2))
    for row in record["rows"]:
        assert row["delay"] == 30 and row["steps_allowed"] == 10_000
        assert isinstance(row["steps_taken"], int) and 0 < row["steps_taken"] <= row["steps_allowed"]
        assert 0 <= row["accuracy"] <= 1 and isinstance(row["seconds"], int)
    save_results(tmp_path / SHIPPED.name, record)
    assert (tmp_path / SHIPPED.name).read_text(encoding="utf-8") == SHIPPED.read_text(encoding="utf-8")
