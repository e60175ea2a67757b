"""Collect every notebooks/NN_name.py source and execute it with nbval, twice:
as shipped (exercises unsolved) and with every exercise cell replaced by its solution.

Test ids look like notebooks/01_sequences.py::solved::Cell 12.
"""
from collections import defaultdict

import pytest
from nbval.plugin import IPyNbCell, IPyNbFile, find_comment_markers, find_metadata_tags

from course import NOTEBOOKS, read_notebook


class NotebookRun(IPyNbFile):
    """One execution of a .py notebook source in a fresh kernel (nbval's file collector)."""

    def __init__(self, *args, solved, **kwargs):
        super().__init__(*args, **kwargs)
        self.solved = solved
        self.compare_outputs = False  # outputs are not stored; the check cell asserts

    def collect(self):
        self.nb = read_notebook(self.path, solved=self.solved)
        code_cells = [cell for cell in self.nb.cells if cell.cell_type == "code"]
        for number, cell in enumerate(code_cells):
            options = defaultdict(bool, find_metadata_tags(cell.metadata))
            options.update(find_comment_markers(cell.source))
            options.setdefault("check", False)
            yield IPyNbCell.from_parent(self, name=f"Cell {number}", cell_num=number,
                                        cell=cell, options=options)


class NotebookSource(pytest.File):
    def collect(self):
        for variant in ("unsolved", "solved"):
            yield NotebookRun.from_parent(self, path=self.path, name=variant,
                                          nodeid=f"{self.nodeid}::{variant}",
                                          solved=variant == "solved")


def pytest_collect_file(file_path, parent):
    if file_path.parent == NOTEBOOKS and file_path.suffix == ".py" and file_path.name[:2].isdigit():
        return NotebookSource.from_parent(parent, path=file_path)
