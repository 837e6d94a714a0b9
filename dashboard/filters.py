"""The shared filters (year, provinces, procedure types), kept in the URL so that a link reproduces a view."""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

import streamlit as st

from dashboard import testo
from dashboard.contesto import Filtri
from data_access.dominio import CODICI_TIPO, NOME_PROVINCIA, SIGLE, TIPO

log = logging.getLogger(__name__)

PARAM_ANNO, PARAM_PROV, PARAM_TIPO = "anno", "prov", "tipo"
KEY_ANNO, KEY_PROV, KEY_TIPO = "filtro_anno", "filtro_prov", "filtro_tipo"
KEY_FILTRI = "_filtri_correnti"
KEY_AVVISI = "_avvisi_link"
KEY_PROV_IN_ATTESA = "_prov_in_attesa"


@dataclass
class Lettura:
    """Filters read from a URL, with the notices for values that were ignored."""

    filtri: Filtri
    avvisi: list[str] = field(default_factory=list)


def _valori(raw: str | Sequence[str] | None) -> list[str]:
    if raw is None:
        return []
    text = raw if isinstance(raw, str) else ",".join(raw)
    return [v.strip().upper() for v in text.split(",") if v.strip()]


def da_query(params: Mapping[str, str | Sequence[str]], anni: Sequence[int], offerte: Sequence[str] = SIGLE) -> Lettura:
    """Parse the URL's query parameters; unknown values, or provinces outside `offerte`, fall back with a notice."""
    avvisi: list[str] = []
    anno = max(anni)
    raw_anno = params.get(PARAM_ANNO)
    if raw_anno is not None:
        text = raw_anno if isinstance(raw_anno, str) else (raw_anno[0] if raw_anno else "")
        # ASCII digits only: str.isdigit() accepts '²', which int() rejects with a traceback.
        if re.fullmatch(r"[0-9]{1,6}", text.strip()) and int(text) in anni:
            anno = int(text)
        else:
            avvisi.append(f"Anno «{testo.md(text, 40)}» non disponibile nel link: mostro il {anno}.")
    fuori = [v for v in _valori(params.get(PARAM_PROV)) if v in SIGLE and v not in offerte]
    if fuori:
        avvisi.append(
            f"Il link chiede province fuori dal suo perimetro di accesso ({', '.join(fuori)}): "
            f"mostro solo {', '.join(NOME_PROVINCIA[s] for s in offerte)}."
        )
    raw_prov = [v for v in _valori(params.get(PARAM_PROV)) if v not in fuori]
    province = _scelti(raw_prov, offerte, "Province", "tutte le province", avvisi)
    tipi = _scelti(params.get(PARAM_TIPO), CODICI_TIPO, "Tipo di procedura", "tutti i tipi", avvisi)
    return Lettura(Filtri(anno, province, tipi), avvisi)


def _scelti(
    raw: str | Sequence[str] | None, ammessi: Sequence[str], nome: str, tutti: str, avvisi: list[str]
) -> tuple[str, ...]:
    richiesti = _valori(raw)
    ignoti = [v for v in richiesti if v not in ammessi]
    validi = tuple(v for v in ammessi if v in richiesti)
    if ignoti:
        ripiego = "" if validi else f": mostro {tutti}"
        elenco = testo.md(", ".join(ignoti), 80)
        avvisi.append(f"Valore non riconosciuto nel link per «{nome}»: {elenco} (ignorato{ripiego}).")
    return validi or tuple(ammessi)


def a_query(filtri: Filtri) -> dict[str, str]:
    """The URL parameters of a selection; defaults are left out so links stay short."""
    params = {PARAM_ANNO: str(filtri.anno)}
    if not filtri.tutte_le_province:
        params[PARAM_PROV] = ",".join(filtri.province)
    if not filtri.tutti_i_tipi:
        params[PARAM_TIPO] = ",".join(filtri.tipi)
    return params


def sidebar(anni: Sequence[int], offerte: Sequence[str] = SIGLE) -> Filtri:
    """Draw the shared filters in the sidebar (provinces among `offerte`), synchronised with the URL."""
    offerte = tuple(s for s in SIGLE if s in offerte)
    if KEY_ANNO not in st.session_state:
        lettura = da_query(st.query_params.to_dict(), anni, offerte)
        for avviso in lettura.avvisi:
            log.warning("link parameter ignored: %s (query %s)", avviso, st.query_params.to_dict())
        st.session_state[KEY_AVVISI] = lettura.avvisi
        st.session_state[KEY_ANNO] = lettura.filtri.anno
        completa = set(lettura.filtri.province) == set(offerte)
        st.session_state[KEY_PROV] = [] if completa else list(lettura.filtri.province)
        st.session_state[KEY_TIPO] = [] if lettura.filtri.tutti_i_tipi else list(lettura.filtri.tipi)
    if KEY_PROV_IN_ATTESA in st.session_state:
        st.session_state[KEY_PROV] = [s for s in st.session_state.pop(KEY_PROV_IN_ATTESA) if s in offerte]

    with st.sidebar:
        st.markdown("### Filtri")
        anno = st.selectbox("Anno", sorted(anni, reverse=True), key=KEY_ANNO)
        province = st.multiselect(
            "Province",
            offerte,
            key=KEY_PROV,
            format_func=lambda s: f"{NOME_PROVINCIA[s]} ({s})",
            placeholder="Tutte le province" if offerte == SIGLE else "Tutte le province del perimetro",
        )
        tipi = st.multiselect(
            "Tipo di procedura",
            CODICI_TIPO,
            key=KEY_TIPO,
            format_func=lambda t: f"{TIPO[t].etichetta} ({TIPO[t].linee_guida})",
            placeholder="Tutte le procedure",
        )
    filtri = Filtri(
        anno=int(anno),
        province=tuple(s for s in offerte if s in province) or offerte,
        tipi=tuple(t for t in CODICI_TIPO if t in tipi) or CODICI_TIPO,
    )
    sincronizza_url(a_query(filtri), (PARAM_ANNO, PARAM_PROV, PARAM_TIPO))
    st.session_state[KEY_FILTRI] = filtri
    return filtri


def sincronizza_url(valori: Mapping[str, str], chiavi: Sequence[str]) -> None:
    """Write the given parameters to the URL and remove the listed ones that are absent."""
    for chiave in chiavi:
        if chiave in valori:
            if st.query_params.get(chiave) != valori[chiave]:
                st.query_params[chiave] = valori[chiave]
        elif chiave in st.query_params:
            del st.query_params[chiave]


def avvisi_link() -> list[str]:
    """Notices about link values that were ignored on this session's first load."""
    return list(st.session_state.get(KEY_AVVISI, []))


def correnti() -> Filtri:
    """The selection made in the sidebar during this run (for pages)."""
    return st.session_state[KEY_FILTRI]


def seleziona_province(sigle: Sequence[str]) -> None:
    """Set the shared province filter from a page (e.g. a click on the map) and rerun."""
    st.session_state[KEY_PROV_IN_ATTESA] = [s for s in SIGLE if s in sigle]
    st.rerun()


def valore_ammesso(raw: str | None, ammessi: Sequence[str], predefinito: str) -> tuple[str, bool]:
    """The allowed value a link gives (case and spaces ignored) and whether it was valid; absent means default."""
    if raw is None or not raw.strip():
        return predefinito, True
    for valore in ammessi:
        if valore.casefold() == raw.strip().casefold():
            return valore, True
    return predefinito, False


def valore_da_url(
    param: str, ammessi: Sequence[str], predefinito: str, etichette: Mapping[str, str] | None = None
) -> str:
    """A page's own view choice from the URL; an unknown value falls back to the default with a notice."""
    raw = st.query_params.get(param)
    valore, valido = valore_ammesso(raw, ammessi, predefinito)
    if not valido:
        log.warning("link parameter %s=%r ignored, using %r", param, raw, predefinito)
        nome = (etichette or {}).get(predefinito, predefinito)
        st.warning(
            f"Valore «{testo.md(raw, 40)}» non valido per «{param}» nel link: mostro «{testo.md(nome)}».",
            icon=":material/link_off:",
        )
    return valore


def pagina_sconosciuta(url: str | None, percorsi: Sequence[str], base: str = "") -> str | None:
    """The page path a link asked for when it is none of the app's pages (Streamlit then shows the home page)."""
    if not url:
        return None
    percorso, base = unquote(urlsplit(url).path).strip("/"), base.strip("/")
    if base and (percorso == base or percorso.startswith(base + "/")):
        percorso = percorso[len(base) :].strip("/")
    return None if not percorso or percorso in percorsi else percorso


def scrivi_in_url(param: str, valore: str | None) -> None:
    """Keep a page's view choice in the URL (None removes it)."""
    sincronizza_url({param: valore} if valore is not None else {}, (param,))
