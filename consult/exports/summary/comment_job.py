"""The Comments sheet written by a helper process while the figures are counted.

Which groups are too small to name depends only on the respondents per group, known before
any answer is counted (counting.group_sizes); so on a large view a forked process reads the
comments on its own connection and writes the sheet (comments.py) while this one
counts. It deflates the part into a temporary file, and ``copy_part`` puts those bytes into
the workbook unchanged: counting and the sheet take about as long as each other, so side
by side on two cores they halve the wait.

The helper sees what its own connection sees: rows committed when it starts. The sizes of the
groups it names come from this process's view (write_summary compares them with the summary
and writes the sheet itself if they differ), so it never names a group the summary calls
small. Comments committed between the two reads may appear; this is already so on PostgreSQL,
where each statement of a summary sees the rows committed when it starts.
"""

from __future__ import annotations

import logging
import multiprocessing
import queue
import tempfile
import threading
import traceback
import zipfile
import zlib
from dataclasses import dataclass
from typing import IO, Any

from sqlalchemy import Engine

from consult.analysis.comments import CommentQueries, comment_chunks
from consult.exports.summary.comments import CommentSheet, write_comments

log = logging.getLogger(__name__)

# Deflate as zipfile does for ZIP_DEFLATED at level 1 (raw stream, no zlib header).
_LEVEL, _WBITS = 1, -15


def _deflater() -> Any:
    """A raw deflate stream at level 1: ISA-L's where the isal package is installed (the same
    format, ~3x faster: the 89 MB Comments part of 100,000 responses in ~0.09 s against
    ~0.28 s, docs/performance.md), else zlib's."""
    try:
        from isal import isal_zlib
    except ImportError:  # pragma: no cover - a platform without isal's wheel
        return zlib.compressobj(_LEVEL, zlib.DEFLATED, _WBITS)
    return isal_zlib.compressobj(_LEVEL, isal_zlib.DEFLATED, _WBITS)


@dataclass
class Deflated:
    """A part deflated by the helper: its bytes in ``file``, and what the zip entry records."""

    file: IO[bytes]
    crc: int
    size: int


class _Deflater:
    """A write-only handle that deflates into a file, as a zip entry would, in a thread.

    The helper's own thread makes the XML; this one takes each block's CRC and deflates it
    (both let go of the GIL), so the two overlap once counting in the parent has left a core
    free. The queue is short: at most a few blocks wait, memory stays bounded.
    """

    def __init__(self, file: IO[bytes]) -> None:
        self.file, self.crc, self.size = file, 0, 0
        self._deflate = _deflater()
        self._blocks: queue.Queue[bytes | None] = queue.Queue(maxsize=4)
        self._failed: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="consult-deflate", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            while (data := self._blocks.get()) is not None:
                self.crc = zlib.crc32(data, self.crc)
                self.file.write(self._deflate.compress(data))
            self.file.write(self._deflate.flush())
            self.file.flush()
        except BaseException as error:  # noqa: BLE001 - raised again by close()
            self._failed = error
            while self._blocks.get() is not None:  # let write() and close() finish
                pass

    def write(self, data: bytes) -> int:
        self.size += len(data)
        self._blocks.put(data)
        return len(data)

    def close(self) -> None:
        self._blocks.put(None)
        self._thread.join()
        if self._failed is not None:
            raise self._failed


def _work(
    bind: Engine, queries: CommentQueries, sheet: CommentSheet, file: IO[bytes], send: Any
) -> None:
    """In the helper process: write the deflated part, report its CRC and size."""
    try:
        # The parent's pooled connections stay the parent's (never used or closed here, and
        # the process ends with os._exit): this process opens its own. On SQLite the parent
        # holds its read transaction until the part is copied (summary_workbook), so the WAL
        # frames this connection reads cannot be checkpointed away meanwhile, whatever lock
        # state the fork copied from the parent's connection.
        bind.dispose(close=False)
        sink = _Deflater(file)
        with bind.connect() as connection:
            write_comments(sink, sheet, comment_chunks(connection, queries))  # type: ignore[arg-type]
        sink.close()
        send.send((sink.crc, sink.size))
    except BaseException:  # noqa: BLE001 - reported to the parent, which writes the sheet itself
        send.send(traceback.format_exc())


class CommentJob:
    """The Comments sheet, written by a forked process while this one counts.

    The helper reads through its own connection, so it sees committed rows only: use it from
    a read-only request or command, never after writing in the same transaction.
    """

    def __init__(self, bind: Engine, queries: CommentQueries, sheet: CommentSheet) -> None:
        self.sheet = sheet
        context = multiprocessing.get_context("fork")
        self._file = tempfile.TemporaryFile()  # noqa: SIM115 - closed by result() or cancel()
        self._receive, send = context.Pipe(duplex=False)
        self._process = context.Process(
            target=_work,
            args=(bind, queries, sheet, self._file, send),
            name="consult-comments",
            daemon=True,
        )
        self._process.start()
        send.close()

    def result(self) -> Deflated | None:
        """The deflated part, or None (logged) if the helper failed."""
        try:
            got = self._receive.recv()
        except EOFError:
            got = "the helper process ended without a result"
        self._process.join()
        self._receive.close()
        if isinstance(got, str):
            log.warning("Comments sheet helper failed; writing it here instead:\n%s", got)
            self._file.close()
            return None
        crc, size = got
        self._file.seek(0)
        return Deflated(self._file, crc, size)

    def cancel(self) -> None:
        """Stop the helper (SIGKILL: a server's worker may have turned SIGTERM into a request
        to finish first); it only reads, and its file is an anonymous temporary one."""
        if self._process.is_alive():
            self._process.kill()
        self._process.join()
        self._receive.close()
        self._file.close()


class _AsIs:
    """A "compressor" for bytes that are deflated already."""

    def compress(self, data: bytes) -> bytes:
        return data

    def flush(self) -> bytes:
        return b""


def copy_part(out: zipfile.ZipFile, info: zipfile.ZipInfo, part: Deflated) -> None:
    """Add ``part`` as the entry ``info`` names, without deflating it a second time."""
    entry = zipfile.ZipInfo(info.filename, info.date_time)
    entry.compress_type = zipfile.ZIP_DEFLATED
    read = iter(lambda: part.file.read(1 << 20), b"")
    with out.open(entry, "w", force_zip64=True) as handle:
        # zipfile has no public way to add deflated bytes; its writer (3.6 and later) keeps the
        # compressor, CRC and size in these attributes. Without them: inflate, deflate again.
        if all(hasattr(handle, name) for name in ("_compressor", "_crc", "_file_size")):
            raw: Any = handle
            raw._compressor = _AsIs()
            for block in read:
                handle.write(block)
            raw._crc, raw._file_size = part.crc, part.size
        else:  # pragma: no cover - another zipfile implementation
            inflate = zlib.decompressobj(_WBITS)
            for block in read:
                handle.write(inflate.decompress(block))
            handle.write(inflate.flush())
    part.file.close()
