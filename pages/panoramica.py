"""Panoramica: the headline figures of the selected year against the previous one."""

import streamlit as st

from dashboard import components, filters, formatting, loaders
from dashboard.charts import panoramica as grafici
from dashboard.viste import panoramica as vista

f = filters.correnti()
db = loaders.url()
info = loaders.info_dati(db)
anni = (f.anno_precedente, f.anno)
ind = loaders.indicatori(db, anni, f.tipi, f.province)
celle = loaders.per_provincia(db, anni, f.tipi, f.province)
ora, prima = ind.row(1, named=True), ind.row(0, named=True)

confrontabile = f.anno_precedente in loaders.anni(db)

st.title(f"Panoramica {f.anno}")
confronto = f"confronto con il {f.anno_precedente}" if confrontabile else f"nessun dato per il {f.anno_precedente}"
st.caption(f"{f.descrizione()} — {confronto}")


def delta(chiave: str) -> str | None:
    """Change on the previous year, as difference and percentage (none when that year has no data)."""
    if not confrontabile:
        return None
    return f"{formatting.differenza(ora[chiave], prima[chiave])} ({formatting.variazione(ora[chiave], prima[chiave])})"


quota = ora["step4"] / ora["coorte_step"] if ora["coorte_step"] else None
quota_prima = prima["step4"] / prima["coorte_step"] if prima["coorte_step"] else None
tavoli, tavoli_prima = (
    ora["tavoli_regionali"] + ora["tavoli_bilaterali"],
    prima["tavoli_regionali"] + prima["tavoli_bilaterali"],
)

c1, c2, c3, c4, c5 = st.columns(5)
with c1:
    components.kpi(
        "Lavoratori coinvolti",
        formatting.numero(ora["lavoratori"]),
        delta("lavoratori"),
        buono_se_cresce=False,
    )
with c2:
    components.kpi("Unità produttive", formatting.numero(ora["unita"]), delta("unita"), buono_se_cresce=False)
with c3:
    components.kpi("Procedure", formatting.numero(ora["procedure"]), delta("procedure"), buono_se_cresce=False,
                   aiuto="Procedure distinte; una procedura su più province conta una volta.")  # fmt: skip
with c4:
    pal_delta = None
    if quota is not None and quota_prima is not None:
        pal_delta = f"{formatting.numero((quota - quota_prima) * 100, 1)} punti"
    components.kpi(
        "PAL attivate (STEP 4)",
        # Without workers in the step model (it began in 2025) a share does not apply: it is not missing.
        formatting.percentuale(quota) if ora["coorte_step"] else formatting.NON_APPLICABILE,
        pal_delta,
        aiuto=f"STEP 4 raggiunto da {formatting.numero(ora['step4'])} dei {formatting.numero(ora['coorte_step'])} "
        "lavoratori in CIGS ministeriale del modello a step (decreto 5151/2025)."
        + ("" if quota_prima is not None else f" Nessuna coorte a step nel {f.anno_precedente}."),
    )
with c5:
    components.kpi(
        "Tavoli svolti",
        formatting.numero(tavoli),
        formatting.differenza(tavoli, tavoli_prima) if confrontabile else None,
        aiuto=f"{ora['tavoli_regionali']} regionali e {ora['tavoli_bilaterali']} bilaterali.",
    )

fig = grafici.lavoratori_per_tipo(celle, f.anno, components.fonte(info), con_precedente=confrontabile)
tabella = vista.indicatori_per_anno(ind)
components.grafico(fig, tabella, key="panoramica_tipi", titolo_tabella="Indicatori per anno (tabella)")
components.scarica(tabella, vista="Panoramica", filtri=f, info=info, key="panoramica")
