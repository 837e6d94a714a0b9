"""Confronto anni: each province's crises in the two years by procedure type, with the Region's official tables."""

import streamlit as st

from dashboard import components, filters, formatting, loaders
from dashboard.charts import confronto as grafici
from dashboard.loaders import confronto as dati
from dashboard.viste import confronto as vista
from data_access.dominio import TIPO

f = filters.correnti()
db = loaders.url()
info = loaders.info_dati(db)
anni = (f.anno_precedente, f.anno)
periodo = vista.Periodo(f.anno, info.data_estrazione)
fonte = components.fonte(info)

confrontabile = f.anno_precedente in loaders.anni(db)
# The title promises a comparison only when the earlier year has data.
st.title(f"Confronto {f.anno_precedente}–{f.anno}" if confrontabile else f"Confronto anni: solo il {f.anno}")
st.caption(f"{f.descrizione()} — per provincia e tipo di procedura, come nelle tabelle ufficiali della Regione")

# The controls side by side as wide as their options, wrapping on a narrow screen (a column cut "Unità produttive").
controlli = st.container(horizontal=True, gap="large")
predefinita = filters.valore_da_url(vista.PARAM_MISURA, list(vista.MISURE), vista.MISURA_PREDEFINITA)
misura = controlli.segmented_control(
    "Misura",
    list(vista.MISURE),
    default=predefinita,
    required=True,
    format_func=vista.MISURE.get,
    key="confronto_misura",
)
filters.scrivi_in_url(vista.PARAM_MISURA, None if misura == vista.MISURA_PREDEFINITA else misura)
scelta = vista.PERIODO_PREDEFINITO
if periodo.confrontabile:
    scelto = filters.valore_da_url(vista.PARAM_PERIODO, list(vista.PERIODI), vista.PERIODO_PREDEFINITO)
    scelta = controlli.segmented_control(
        "Periodo confrontato", list(vista.PERIODI), default=scelto, required=True, key="confronto_periodo",
        format_func=lambda p: vista.PERIODI[p] + (f" ({periodo.descrizione()})" if p == "stesso" else ""),
    )  # fmt: skip
    filters.scrivi_in_url(vista.PARAM_PERIODO, None if scelta == vista.PERIODO_PREDEFINITO else scelta)
parziale = vista.periodo_confrontato(periodo, scelta)
if not periodo.completo:
    st.warning(vista.avviso_periodo(periodo, parziale is not None), icon=":material/hourglass_top:")

celle = dati.celle(db, anni, f.tipi, parziale)
if not confrontabile:
    st.info(f"Il database non contiene dati del {f.anno_precedente}: mostro solo la tabella del {f.anno}.")

totali = vista.totali_per_tipo(celle, misura, anni, f.tipi, f.province)
for colonna, (etichetta, v0, v1) in zip(st.columns(len(totali)), totali, strict=True):
    with colonna:
        delta = f"{formatting.differenza(v1, v0)} ({formatting.variazione(v1, v0)})" if confrontabile else None
        components.kpi(f"{etichetta} {f.anno}", formatting.numero(v1), delta, buono_se_cresce=False,
                       aiuto=f"{vista.MISURE[misura]}; nel {f.anno_precedente}: {formatting.numero(v0)}.")  # fmt: skip

if confrontabile:
    prov = vista.per_provincia(celle, misura, anni, f.province)
    tabella_prov = vista.tabella_province(prov, anni)
    components.grafico(grafici.province_anni(prov, misura, anni, fonte), tabella_prov, key="confronto_province")
    components.grafico(grafici.variazioni(prov, misura, anni, fonte), tabella_prov, key="confronto_variazioni")
    comp = vista.composizione(celle, misura, f.province)
    fig = grafici.composizione(comp, misura, anni, fonte)
    components.grafico(fig, vista.tabella_composizione(comp, misura), key="confronto_composizione")


def tabella_anno(anno: int) -> None:
    """One year's table laid out as the published one, with the footnotes and its download."""
    tab = vista.tabella_ufficiale(celle, anno, f.tipi, f.province)
    vuote = vista.celle_vuote(tab, anno)
    note = {TIPO[t].etichetta: f"linee guida {TIPO[t].linee_guida}" for t in f.tipi}
    titolo = vista.titolo_tabella(anno, parziale)
    st.html(vista.html_tabella(vista.ufficiale_testo(tab), didascalia=titolo, note_gruppo=note, segnate=vuote))
    st.caption(" ".join(filter(None, [vista.nota_celle_vuote(vuote), vista.NOTA_PESO, fonte])))
    components.scarica(tab, vista=titolo, filtri=f, info=info, key=f"confronto_{anno}")


if confrontabile:
    scheda_confronto, scheda_dopo, scheda_prima = st.tabs(
        [
            f"Confronto {f.anno_precedente}–{f.anno}",
            *(vista.titolo_tabella(a, parziale, breve=True) for a in anni[::-1]),
        ]
    )
    with scheda_confronto:
        tab = vista.tabella_confronto(celle, misura, anni, f.tipi, f.province)
        st.html(vista.html_tabella(vista.confronto_testo(tab), didascalia=vista.didascalia_confronto(misura, anni)))
        st.caption(f"{vista.nota_variazione(f.anno_precedente)} {fonte}")
        components.scarica(tab, vista="Confronto anni", filtri=f, info=info, key="confronto_tabella")
    with scheda_prima:
        tabella_anno(f.anno_precedente)
else:
    (scheda_dopo,) = st.tabs([vista.titolo_tabella(f.anno, parziale, breve=True)])
with scheda_dopo:
    tabella_anno(f.anno)
