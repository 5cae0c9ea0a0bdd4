"""The explorer's workers stop themselves when the server is killed outright (SIGKILL cannot be
caught, so the server cannot stop them). A module of its own, importing nothing of the model: the
watch starts before a worker imports the model and compiles its kernels, which can take longer
than the server lives on a loaded machine."""

from __future__ import annotations

import os
import threading
import time


def worker_init(weeks, stop) -> None:
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(0)
    threading.Thread(target=watch, daemon=True).start()
    from .compute import worker_setup  # the model, only now
    worker_setup(weeks, stop)
