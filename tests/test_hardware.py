"""course_lib.hardware: concurrent training only where it is safe and pays."""
import threading

import torch

from course_lib.hardware import side_by_side


def test_side_by_side_keeps_order_uses_two_threads_on_the_cpu_and_restores_the_thread_count():
    threads_before = torch.get_num_threads()
    seen = []

    def job(item):
        seen.append((threading.current_thread().name, torch.get_num_threads()))
        return item * item

    assert side_by_side(job, range(6), "cpu") == [0, 1, 4, 9, 16, 25]
    assert {count for _, count in seen} == {1}
    assert all(name != threading.main_thread().name for name, _ in seen)
    assert torch.get_num_threads() == threads_before


def test_side_by_side_runs_one_at_a_time_on_a_gpu_device():
    names = []
    result = side_by_side(lambda item: names.append(threading.current_thread().name) or -item, [1, 2, 3],
                          torch.device("mps"))
    assert result == [-1, -2, -3]
    assert names == [threading.main_thread().name] * 3


def test_side_by_side_restores_the_thread_count_when_a_job_fails():
    threads_before = torch.get_num_threads()

    def fails(item):
        raise ValueError(item)

    try:
        side_by_side(fails, [1], "cpu")
    except ValueError:
        pass
    assert torch.get_num_threads() == threads_before
