"""Report bimestrale: the CIGS in force by territory for a bimester, previewed, then downloaded as PDF and XLSX."""

import streamlit as st

from dashboard import components, filters, formatting, loaders, report_file
from dashboard.loaders import report as dati
from dashboard.report_pdf import ErroreDocumento
from dashboard.viste import report as vista

db = loaders.url()
info = loaders.info_dati(db)
al = info.data_estrazione
perimetro = dati.perimetro()
periodi = dati.periodi(db, al)
territori = vista.territori(perimetro)

st.title("Report bimestrale alle province")
st.caption(
    "Le procedure di CIGS in corso l'ultimo giorno del bimestre, con la loro collocazione territoriale, le novità "
    "del bimestre, il modello a step e i casi ad alta complessità: un PDF da inoltrare e un allegato XLSX con gli "
    "elenchi. Lo stesso report si produce dalla riga di comando `cruscotto-report` (anche programmato). I filtri "
    "della barra laterale non si applicano: il report copre sempre le CIGS del territorio scelto."
)
if not periodi or not territori:
    st.info("Nessuna procedura di CIGS nel database: non c'è un bimestre da riportare.")
    st.stop()

codici = [p.codice for p in periodi]
predefinito = vista.ultimo_completo(al).codice if vista.ultimo_completo(al).codice in codici else codici[0]
nomi = {p.codice: p.nome + ("" if p.completo(al) else " (provvisorio)") for p in periodi}
c1, c2 = st.columns(2)
if richiesto := st.query_params.get("periodo"):  # any month of the bimester names it
    st.query_params["periodo"] = vista.codice_periodo(richiesto)
scelto = filters.valore_da_url("periodo", codici, predefinito, nomi)
codice = c1.selectbox("Bimestre", codici, index=codici.index(scelto), format_func=nomi.get)
chiavi = [t.codice for t in territori]
etichette = {t.codice: t.titolo for t in territori}
territorio_url = filters.valore_da_url("territorio", chiavi, chiavi[-1], etichette)
codice_territorio = c2.selectbox("Territorio", chiavi, index=chiavi.index(territorio_url), format_func=etichette.get)
filters.sincronizza_url({"periodo": codice, "territorio": codice_territorio}, ("periodo", "territorio"))
periodo = next(p for p in periodi if p.codice == codice)
territorio = vista.Territorio(codice_territorio)

r = dati.report(db, periodo, perimetro, territorio, al)
if r.provvisorio:
    st.warning(
        f"Bimestre non concluso alla data dei dati: report **provvisorio**, situazione al "
        f"{formatting.data(r.riferimento)}.",
        icon=":material/schedule:",
    )
st.subheader(f"{r.territorio.titolo} — {r.periodo.nome}, situazione al {formatting.data(r.riferimento)}")
for riga in range(0, len(r.cifre), 3):  # rows of three cards: a card's change never shifts the next row
    for colonna, cifra in zip(st.columns(3), r.cifre[riga : riga + 3], strict=False):
        with colonna:
            components.kpi(cifra.etichetta, cifra.testo, cifra.variazione or None, buono_se_cresce=False,
                           aiuto=cifra.spiegazione or None)  # fmt: skip
st.caption(r.fonte)

chiave = (r.nome_file, str(al))
if st.button("Prepara il PDF e l'allegato XLSX", type="primary", icon=":material/description:"):
    barra = st.progress(0.0, text="Lettura dei dati…")
    try:
        barra.progress(0.2, text="Disegno dei grafici…")
        dati.grafici(db, periodo, perimetro, territorio, al)
        barra.progress(0.6, text="Stampa del PDF…")
        dati.pdf(db, periodo, perimetro, territorio, al)
        barra.progress(0.9, text="Allegato XLSX…")
        dati.xlsx(db, periodo, perimetro, territorio, al)
        barra.progress(1.0, text="Report pronto.")
        st.session_state["report_pronto"] = chiave
    except ErroreDocumento as exc:
        st.error(exc.messaggio, icon=":material/error:")
if st.session_state.get("report_pronto") == chiave:
    s1, s2 = st.columns(2)
    pdf, xlsx = dati.pdf(db, periodo, perimetro, territorio, al), dati.xlsx(db, periodo, perimetro, territorio, al)
    filtri = f"{r.periodo.nome} · {r.territorio.titolo}"
    for col, etichetta, contenuto, formato, mime, icona in (
        (s1, "Scarica il PDF", pdf, "pdf", "application/pdf", ":material/picture_as_pdf:"),
        (s2, "Scarica l'allegato XLSX", xlsx, "xlsx", report_file.MIME_XLSX, ":material/table:"),
    ):
        components.scarica_file(
            etichetta, lambda contenuto=contenuto: contenuto, nome_file=f"{r.nome_file}.{formato}", mime=mime,
            dataset=f"Report bimestrale - {r.territorio.titolo}", filtri=filtri, formato=formato,
            righe=r.procedure.height, key=f"report_{formato}", contenitore=col, icon=icona,
        )  # fmt: skip
