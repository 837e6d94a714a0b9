"""What every view states beside its figures, with no Streamlit: the selection shown and the source line."""

from __future__ import annotations

from dataclasses import dataclass

from dashboard import formatting
from data_access.dominio import CODICI_TIPO, NOME_PROVINCIA, SIGLE, TIPO
from data_access.queries.meta import InfoDati

ORIGINE = "Regione Lombardia, DG Istruzione, Formazione, Lavoro"
ATTRIBUZIONE_GEO = "Confini amministrativi: ISTAT (CC-BY 4.0), via openpolis"


@dataclass(frozen=True)
class Filtri:
    """The active selection; hashable, so it can key caches."""

    anno: int
    province: tuple[str, ...] = SIGLE
    tipi: tuple[str, ...] = CODICI_TIPO

    @property
    def anno_precedente(self) -> int:
        """The comparison year."""
        return self.anno - 1

    @property
    def tutte_le_province(self) -> bool:
        """True when no province is excluded."""
        return set(self.province) == set(SIGLE)

    @property
    def tutti_i_tipi(self) -> bool:
        """True when no procedure type is excluded."""
        return set(self.tipi) == set(CODICI_TIPO)

    def descrizione(self) -> str:
        """The filters in words, for captions, slides and exported files."""
        prov = "tutte le province" if self.tutte_le_province else ", ".join(NOME_PROVINCIA[s] for s in self.province)
        tipi = "tutte le procedure" if self.tutti_i_tipi else ", ".join(TIPO[t].etichetta for t in self.tipi)
        return f"Anno {self.anno} · {prov} · {tipi}"


def fonte(info: InfoDati, origine: str = ORIGINE) -> str:
    """The source line under every chart: origin, data date, demo mark."""
    demo = " — dati dimostrativi" if info.demo else ""
    return f"Fonte: {origine}. Dati al {formatting.data(info.data_estrazione)}{demo}."


def dati_al(info: InfoDati) -> str:
    """'Dati al 15/01/2026', with the demo mark: the data date every slide and report page repeats."""
    demo = " · dati dimostrativi" if info.demo else ""
    return f"Dati al {formatting.data(info.data_estrazione)}{demo}"
