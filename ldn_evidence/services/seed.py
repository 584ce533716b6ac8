"""The shipped seed dataset."""

from __future__ import annotations

import importlib.resources
from pathlib import Path

SEED_FILE = "ldn-fibromyalgia-part2.yaml"


def seed_path() -> Path:
    return Path(str(importlib.resources.files("ldn_evidence._data").joinpath(SEED_FILE)))
