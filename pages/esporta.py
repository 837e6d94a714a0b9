"""Esporta dati: choose a dataset, download it for Excel or as CSV with the shared filters, preview it."""

from urllib.parse import urlencode

import streamlit as st

from dashboard import components, exports, filters, formatting, loaders, privacy
from dashboard.components import esporta as pezzi
from dashboard.loaders import esporta as dati
from dashboard.viste import esporta as vista

KEY_DATASET = "esporta_dataset"
ETICHETTE = {k: d.etichetta for k, d in vista.DATASET.items()}

f = filters.correnti()
db = loaders.url()
info = loaders.info_dati(db)

st.title("Esporta dati")
st.caption(
    f"{f.descrizione()} — i filtri della barra laterale valgono per ogni insieme di dati; l'anno non vale per i casi "
    "ad alta complessità, come nella loro pagina."
)

if KEY_DATASET not in st.session_state:  # the link decides only on arrival; then the control does
    st.session_state[KEY_DATASET] = filters.valore_da_url(
        vista.PARAM_DATASET, list(vista.DATASET), vista.PREDEFINITO, ETICHETTE
    )
chiave = st.segmented_control(
    "Dati da esportare", list(vista.DATASET), format_func=ETICHETTE.get, key=KEY_DATASET, required=True
)
filters.scrivi_in_url(vista.PARAM_DATASET, chiave)
dataset = vista.DATASET[chiave]
st.markdown(dataset.descrizione)

df = dati.carica(db, chiave, f)
if df.is_empty():
    st.info(
        f"Nessun dato per «{dataset.etichetta}» con questi filtri ({f.descrizione()}). {dataset.se_vuoto}",
        icon=":material/filter_alt_off:",
    )
else:
    colonne = st.columns(len(exports.FORMATI))
    for col, (formato, etichetta) in zip(colonne, exports.FORMATI.items(), strict=True):
        file = components.file_dati(
            df, formato, vista=dataset.etichetta, filtri=f, info=info, note={"Contenuto": dataset.descrizione}
        )
        components.scarica_file(
            etichetta,
            lambda file=file: file,
            nome_file=file.nome,
            mime=file.mime,
            dataset=dataset.etichetta,
            filtri=f.descrizione(),
            formato=formato,
            righe=df.height,
            key=f"esporta_{formato}",
            contenitore=col,
            type="primary" if formato == "csv_it" else "secondary",
            icon=":material/download:",
            width="stretch",
        )
    st.caption(
        f"File «{file.nome.rsplit('.', 1)[0]}». Il CSV per Excel italiano si apre con un doppio clic (separatore «;», "
        "virgola decimale, date gg/mm/aaaa); il file Excel ha anche il foglio «Filtri e fonte»."
    )

    st.subheader(f"Anteprima: {formatting.numero(df.height)} righe")
    st.dataframe(
        vista.anteprima(df),
        hide_index=True,
        width="stretch",
        height=min(38 + 35 * df.height, 530),  # up to 14 rows in full: the step table and its total
        column_config=pezzi.configurazione_colonne(df),
    )
    note = [components.fonte(info)]
    if privacy.contiene_soppressioni(df):
        note.append(privacy.nota())
    st.caption(" ".join(note))

st.subheader("Link a questa vista")
st.caption("Chi apre il link ritrova gli stessi filtri e gli stessi dati.")
link = urlencode({**filters.a_query(f), vista.PARAM_DATASET: chiave}, safe=",")  # BG,MI reads better than %2C
st.code(f"{st.context.url or ''}?{link}", language=None, wrap_lines=True)
