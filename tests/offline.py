"""Switch the network off inside a Python process, loopback excepted.

The tests run every notebook's kernel with it (see conftest.py), which proves that the course
never needs the internet: a notebook that tried to reach any other address would fail with
NetworkSwitchedOff. Loopback stays on because the kernel talks to the test runner over it.
"""
import ipaddress
import socket


class NetworkSwitchedOff(OSError):
    """Raised instead of reaching a non-loopback address."""


def is_loopback(address):
    """True for a local-socket path, 'localhost' or a loopback IP; False for anything else."""
    if not isinstance(address, tuple):  # AF_UNIX path
        return True
    host = address[0].decode() if isinstance(address[0], bytes) else str(address[0])
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:  # a host name: only 'localhost' is known to be local without a lookup
        return False


def refuse(address):
    raise NetworkSwitchedOff(f"the network is switched off for this test run: {address!r} is not loopback")


def switch_network_off():
    """Patch socket connections and name lookups so that only loopback can be reached."""
    if getattr(socket, "network_switched_off", False):
        return
    connect, connect_ex, getaddrinfo = socket.socket.connect, socket.socket.connect_ex, socket.getaddrinfo

    def guarded_connect(sock, address):
        return connect(sock, address) if is_loopback(address) else refuse(address)

    def guarded_connect_ex(sock, address):
        return connect_ex(sock, address) if is_loopback(address) else refuse(address)

    def guarded_getaddrinfo(host, *args, **kwargs):
        return getaddrinfo(host, *args, **kwargs) if host is None or is_loopback((host,)) else refuse(host)

    socket.socket.connect, socket.socket.connect_ex = guarded_connect, guarded_connect_ex
    socket.getaddrinfo = guarded_getaddrinfo
    socket.network_switched_off = True
