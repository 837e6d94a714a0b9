"""How a PDF reads for assistive technology, as poppler's pdfinfo reports it: tagged, titled, its structure tree."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class StrutturaPdf:
    """pdfinfo's fields, the structure elements in reading order and the raw bytes (language, alternative texts)."""

    info: dict[str, str]
    elementi: list[str]
    albero: str
    dati: bytes

    def conta(self, elemento: str) -> int:
        return self.elementi.count(elemento)


def leggi(pdf: Path) -> StrutturaPdf:
    """Run pdfinfo and pdfinfo -struct on a file."""
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True, timeout=60).stdout
    albero = subprocess.run(
        ["pdfinfo", "-struct", str(pdf)], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    campi = dict(re.findall(r"^([A-Za-z ]+):\s+(.*)$", info, re.MULTILINE))
    elementi = re.findall(r"^\s*([A-Z][A-Za-z0-9]*)\b(?: \(|:| <|$)", albero, re.MULTILINE)
    return StrutturaPdf(campi, elementi, albero, pdf.read_bytes())
