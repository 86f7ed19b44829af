"""httpconn.py - the HTTP/1.1 keep-alive client of the load drivers: tests/load/load.py and
bench/pg_writes.py (which puts this directory on sys.path). Python standard library only.

Conn is one connection to "nextcall serve" on 127.0.0.1, one request at a time; it reopens itself
when the server closed it. An answer must carry Content-Length (the server always sends it).
"""

import asyncio
import json


class HttpError(Exception):
    """The connection broke before a whole answer came, or the answer cannot be read."""


def bearer(token):
    """The headers that authenticate with an API token."""
    return {"Authorization": f"Bearer {token}"}


class Conn:
    """One keep-alive connection: one request at a time."""

    def __init__(self, port):
        self.port = port
        self.r = self.w = None

    async def open(self):
        self.r, self.w = await asyncio.open_connection("127.0.0.1", self.port)

    def close(self):
        if self.w:
            self.w.close()
        self.r = self.w = None

    async def request(self, method, path, headers, body=None):
        """(status, body bytes): method on path with headers (a dict, e.g. bearer(token)) and
        body as JSON when given; reconnects when the connection is closed. Raises HttpError when
        the connection closes or is reset before the answer's head, or the answer has no
        Content-Length (the connection is closed then); OSError and
        asyncio.IncompleteReadError may come from opening, writing and reading the body."""
        if not self.w:
            await self.open()
        data = b"" if body is None else json.dumps(body).encode()
        head = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        for k, v in headers.items():
            head += f"{k}: {v}\r\n"
        if body is not None:
            head += f"Content-Type: application/json\r\nContent-Length: {len(data)}\r\n"
        self.w.write(head.encode() + b"\r\n" + data)
        try:
            hdr = await self.r.readuntil(b"\r\n\r\n")
        except (asyncio.IncompleteReadError, ConnectionError) as e:
            self.close()
            raise HttpError("connection closed before the answer") from e
        status = int(hdr[9:12])
        low = hdr.lower()
        i = low.find(b"\r\ncontent-length:")
        if i < 0:
            self.close()
            raise HttpError(f"answer {status} without Content-Length")
        n = int(low[i + 17:low.index(b"\r\n", i + 2)])
        payload = await self.r.readexactly(n) if n else b""
        if b"\r\nconnection: close" in low:
            self.close()
        return status, payload
