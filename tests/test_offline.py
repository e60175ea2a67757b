"""The notebooks run with the network switched off: every nbval kernel (conftest.PatientKernel)
refuses any address but loopback, and the notebooks pass in it."""
import ast
import subprocess
import sys
from pathlib import Path

from conftest import PatientKernel

TESTS = Path(__file__).resolve().parent

TRY_THE_NETWORK = """
import http.server, socket, threading, urllib.request
server = http.server.HTTPServer(("127.0.0.1", 0), http.server.SimpleHTTPRequestHandler)
threading.Thread(target=server.handle_request, daemon=True).start()
attempts = {}
for name, reach in [("public address", lambda: urllib.request.urlopen("http://203.0.113.7/", timeout=5)),
                    ("host name", lambda: urllib.request.urlopen("http://example.com/", timeout=5)),
                    ("socket", lambda: socket.create_connection(("198.51.100.1", 80), timeout=5)),
                    ("loopback", lambda: urllib.request.urlopen(f"http://127.0.0.1:{server.server_port}/", timeout=60))]:
    try:
        attempts[name] = f"reached ({reach().__class__.__name__})"
    except Exception as error:
        attempts[name] = type(error).__name__ + ": " + str(error)
print(attempts)
"""


def test_switching_the_network_off_refuses_all_but_loopback():
    code = f"import sys; sys.path.insert(0, {str(TESTS)!r}); import offline; offline.switch_network_off()\n"
    result = subprocess.run([sys.executable, "-c", code + TRY_THE_NETWORK], capture_output=True, text=True,
                            check=True, cwd=TESTS)
    attempts = ast.literal_eval(result.stdout)  # the dict printed above
    for name in ["public address", "host name", "socket"]:
        assert "the network is switched off" in attempts[name], attempts
    assert attempts["loopback"].startswith("reached"), attempts


def test_the_notebook_kernels_run_offline(tmp_path):
    kernel = PatientKernel(cwd=str(tmp_path))
    try:
        msg_id = kernel.kc.execute(TRY_THE_NETWORK, store_history=False)
        printed = []
        while True:
            message = kernel.get_message(stream="iopub", timeout=600)
            if message["parent_header"].get("msg_id") != msg_id:
                continue
            if message["msg_type"] == "stream" and message["content"]["name"] == "stdout":
                printed.append(message["content"]["text"])
            if message["msg_type"] == "status" and message["content"]["execution_state"] == "idle":
                break
    finally:
        kernel.stop()
    attempts = ast.literal_eval("".join(printed))
    assert "the network is switched off" in attempts["public address"], attempts
    assert "the network is switched off" in attempts["host name"], attempts
    assert attempts["loopback"].startswith("reached"), attempts
