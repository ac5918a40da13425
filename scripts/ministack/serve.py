"""Runs MiniStack on a port the system gives, for the tests (support/MiniStack.java).

MiniStack takes its port from GATEWAY_PORT before it binds (its responses name it), so it cannot bind port 0 itself.
This binds 127.0.0.1:0 first and keeps that socket, bound but never listening, so that no other process is given the
port; MiniStack's own bind of the same address is allowed beside it (both set SO_REUSEADDR, and a socket that does not
listen takes no connection). The port is written to the file named by MINISTACK_PORT_FILE once it is held, then
MiniStack runs in this process with GATEWAY_PORT set to it.

Usage: MINISTACK_PORT_FILE=/path/port python serve.py      (other MiniStack settings in the environment as usual)
"""
import os
import socket
import sys


def main():
    hold = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    hold.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    hold.bind(("127.0.0.1", 0))
    port = hold.getsockname()[1]
    os.environ["GATEWAY_PORT"] = str(port)  # before MiniStack's modules read it, as they do on import
    port_file = os.environ["MINISTACK_PORT_FILE"]
    with open(port_file + ".tmp", "w") as f:
        f.write(str(port))
    os.replace(port_file + ".tmp", port_file)

    from ministack.app import main as ministack

    sys.argv = ["ministack"]
    ministack()


if __name__ == "__main__":
    main()
