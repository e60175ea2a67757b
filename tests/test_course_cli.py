"""The main job reports a notebook's time and whether its check cell passed."""
import subprocess
import sys

import course


def write_notebook(path, check_source):
    path.write_text("# %%\nx = 41 + 1\n\n# %% tags=[\"check\"]\n" + check_source + "\n")
    return path


def test_run_notebook_reports_a_passing_and_a_failing_check(tmp_path):
    _, seconds, passed, verdict = course.run_notebook(write_notebook(tmp_path / "good.py", "assert x == 42"))
    assert passed and verdict == "check passed" and seconds > 0
    _, _, passed, verdict = course.run_notebook(write_notebook(tmp_path / "bad.py", "assert x == 0, 'x is off'"))
    assert not passed and verdict == "check FAILED: AssertionError: x is off"


def test_images_script_draws_every_diagram(tmp_path):
    subprocess.run([sys.executable, str(course.ROOT / "images" / "draw_diagrams.py"), "--out", str(tmp_path)],
                   check=True, capture_output=True)
    drawn = sorted(p.name for p in tmp_path.glob("*.png"))
    assert drawn == ["encoder_decoder.png", "many_to_many.png", "one_hot.png", "unrolled_rnn.png"]
    assert all((course.ROOT / "images" / name).exists() for name in drawn)
