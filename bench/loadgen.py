"""A small closed-loop HTTP load generator for bench/submit.py.

Each of N clients sends a request, waits for the answer, and sends the next, for a fixed time;
then no new request starts and every request in flight is awaited, so "acknowledged" counts
every answer the server gave (wrk stops mid-flight, which would make stored > acknowledged).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Result:
    statuses: dict[int, int] = field(default_factory=dict)
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    seconds: float = 0.0

    @property
    def requests(self) -> int:
        return sum(self.statuses.values())

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        if not ordered:
            return float("nan")
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000


async def _one(host: str, port: int, payload: bytes) -> int:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        writer.write(payload)
        await writer.drain()
        status_line = await reader.readline()
        await reader.read()  # the server closes the connection after the answer
        return int(status_line.split()[1])
    finally:
        writer.close()


async def _run(
    host: str, port: int, clients: int, seconds: float, make: Callable[[int], bytes]
) -> Result:
    result = Result()
    deadline = time.perf_counter() + seconds
    counter = 0

    async def client() -> None:
        nonlocal counter
        while time.perf_counter() < deadline:
            counter += 1
            payload = make(counter)
            started = time.perf_counter()
            try:
                status = await _one(host, port, payload)
            except (OSError, ValueError, IndexError):
                result.errors += 1
                continue
            result.latencies.append(time.perf_counter() - started)
            result.statuses[status] = result.statuses.get(status, 0) + 1

    began = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    result.seconds = time.perf_counter() - began
    return result


def run(host: str, port: int, clients: int, seconds: float, make: Callable[[int], bytes]) -> Result:
    return asyncio.run(_run(host, port, clients, seconds, make))


def post_request(host: str, port: int, path: str, body: str) -> bytes:
    data = body.encode()
    head = (
        f"POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\nConnection: close\r\n"
        f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(data)}\r\n\r\n"
    )
    return head.encode() + data
