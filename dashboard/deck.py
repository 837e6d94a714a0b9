"""The tavolo deck: a snapshot of the data (`dashboard.letture.tavolo`) turned into slides (pure, no Streamlit)."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from datetime import date

import plotly.graph_objects as go
import polars as pl
import pydeck as pdk

from dashboard import contesto, formatting, geo, privacy, tema
from dashboard.charts import confronto as grafici_confronto
from dashboard.charts import mappe, senza_titolo, titolo_di  # noqa: F401 (senza_titolo: the PowerPoint's charts)
from dashboard.charts import step_pal as grafici_step
from dashboard.charts.panoramica import lavoratori_per_tipo
from dashboard.contesto import ATTRIBUZIONE_GEO, ORIGINE, fonte
from dashboard.letture.tavolo import Snapshot, Tavolo
from dashboard.viste import casi
from dashboard.viste import confronto as cf
from dashboard.viste import mappe as vista_mappe
from dashboard.viste import monitoraggio as vm
from dashboard.viste import step_pal as sp
from data_access.dominio import SIGLE, STEPS, TIPO, TIPO_MODELLO_STEP
from data_access.queries.meta import InfoDati

Figura = go.Figure | pdk.Deck


@dataclass(frozen=True)
class Cifra:
    """A key figure written as text: label, value, and what it is compared with."""

    etichetta: str
    valore: str
    dettaglio: str = ""


@dataclass(frozen=True, eq=False)
class Slide:
    """One idea: a title that states it, and the figures, chart or table that support it."""

    chiave: str
    titolo: str
    sottotitolo: str = ""
    cifre: tuple[Cifra, ...] = ()
    figure: tuple[Figura, ...] = ()
    tabella: pl.DataFrame | None = None  # already formatted as text, shown as a real table
    colori_tabella: tuple[str, dict[str, str]] | None = None  # (column, cell text -> background colour)
    legenda: tuple[tuple[str, str], ...] = ()  # (colour, label) of a map's classes
    legenda_titolo: str = ""
    punti: tuple[str, ...] = ()
    note: str = ""  # speaker notes


@dataclass(frozen=True, eq=False)
class Deck:
    """The slides of one tavolo, with what every slide repeats: tavolo, filters, data date."""

    tavolo: Tavolo
    anno: int
    filtri: str
    info: InfoDati
    giorno: date
    slides: tuple[Slide, ...] = field(default_factory=tuple)

    def numero(self, indice: int) -> str:
        """'3 / 7' for the slide at a 0-based index."""
        return f"{indice + 1} / {len(self.slides)}"

    @property
    def dati_al(self) -> str:
        """'Dati al 15/01/2026', with the demo mark."""
        return contesto.dati_al(self.info)

    @property
    def fonte(self) -> str:
        """The source line."""
        return fonte(self.info)

    @property
    def nome_file(self) -> str:
        """A file name that says which tavolo, year and extraction the deck is."""
        return f"tavolo-{self.tavolo.codice}-{self.anno}-dati-{self.info.data_estrazione.isoformat()}"


def costruisci(snap: Snapshot, giorno: date) -> Deck:
    """The deck for a snapshot, presented on the given day: one idea per slide."""
    slides = [
        slide_titolo(snap, giorno),
        slide_cifre(snap),
        slide_confronto(snap),
        slide_mappa(snap),
        slide_step(snap),
        slide_casi(snap),
        slide_monitoraggio(snap),
        slide_fonti(snap),
    ]
    return Deck(snap.tavolo, snap.filtri.anno, snap.filtri.descrizione(), snap.info, giorno, tuple(slides))


log = logging.getLogger(__name__)
ENV_DATI_VECCHI = "CRUSCOTTO_DATI_VECCHI_GIORNI"
DATI_VECCHI_PREDEFINITO = 60


def giorni_dati_vecchi() -> int:
    """Age in days beyond which the cover warns that the data are old: CRUSCOTTO_DATI_VECCHI_GIORNI, default 60."""
    raw = os.environ.get(ENV_DATI_VECCHI, "").strip()
    if not raw:
        return DATI_VECCHI_PREDEFINITO
    if raw.isdigit() and int(raw) > 0:
        return int(raw)
    log.warning("%s=%r is not a positive number of days: using %d", ENV_DATI_VECCHI, raw, DATI_VECCHI_PREDEFINITO)
    return DATI_VECCHI_PREDEFINITO


def avviso_dati_vecchi(data_estrazione: date, giorno: date, soglia: int) -> str:
    """The cover's warning when the meeting comes more than `soglia` days after the extraction, else ''."""
    eta = (giorno - data_estrazione).days
    if eta <= soglia:
        return ""
    return (
        f"Attenzione: i dati risalgono a {formatting.numero(eta)} giorni prima della riunione "
        f"(estrazione del {formatting.data(data_estrazione)}, oltre il limite di {soglia} giorni): "
        "chiedere un'estrazione aggiornata prima di decidere."
    )


def slide_titolo(snap: Snapshot, giorno: date) -> Slide:
    """Tavolo, date of the meeting, data date; a warning when the data are older than the setting allows."""
    t = snap.tavolo
    chi = (
        "Coordinamento dei Nuclei Territoriali Crisi e Politiche Attive"
        if t.regionale
        else f"Regione Lombardia e Nucleo Territoriale Crisi e Politiche Attive di {t.territorio}"
    )
    demo = " (dati dimostrativi)" if snap.info.demo else ""
    return Slide(
        chiave="titolo",
        titolo=t.nome,
        sottotitolo=f"Crisi aziendali e politiche attive del lavoro · {snap.filtri.anno}",
        punti=(
            chi,
            f"Riunione del {formatting.data_estesa(giorno)}",
            f"Dati al {formatting.data(snap.info.data_estrazione)}{demo}",
            ORIGINE,
            *filter(None, [avviso_dati_vecchi(snap.info.data_estrazione, giorno, giorni_dati_vecchi())]),
        ),
        note=f"Presentazione per il {t.nome[0].lower()}{t.nome[1:]}: tutte le cifre vengono dalla stessa estrazione "
        "dei dati "
        f"({formatting.data(snap.info.data_estrazione)}).",
    )


def _quota(parte: int, totale: int) -> float | None:
    return parte / totale if totale else None


def _periodo_confronto(snap: Snapshot) -> str:
    """'' for whole years, else ' (stesso periodo, 1° gennaio – 15 marzo)'."""
    return f" (stesso periodo, {snap.periodo.descrizione()})" if snap.periodo.confrontabile else ""


def slide_cifre(snap: Snapshot) -> Slide:
    """The headline figures of the tavolo's territory, against the previous year."""
    f, t = snap.filtri, snap.tavolo
    ora = snap.indicatori.filter(pl.col("anno") == f.anno).row(0, named=True)
    qui = snap.celle_confronto.filter(pl.col("sigla").is_in(t.province))
    somma = {(a, m): int(qui.filter(pl.col("anno") == a)[m].sum()) for a in (f.anno_precedente, f.anno) for m in
             ("lavoratori", "unita")}  # fmt: skip

    def confronto(misura: str) -> str:
        if not snap.confrontabile:
            return f"nessun dato per il {f.anno_precedente}"
        v0, v1 = somma[(f.anno_precedente, misura)], somma[(f.anno, misura)]
        return f"{formatting.differenza(v1, v0)} ({formatting.variazione(v1, v0)}) sul {f.anno_precedente}"

    quota = formatting.percentuale(_quota(ora["step4"], ora["coorte_step"]))
    pal = (
        f"{formatting.numero(ora['step4'])} su {formatting.numero(ora['coorte_step'])} lavoratori in STEP 4"
        if ora["coorte_step"]
        else "nessun lavoratore nel modello a step"
    )
    # The step page hides STEP 4 where a small count could be recovered from it: the deck hides it too.
    step4 = pl.col("codice") == STEPS[-1].codice
    if not snap.percorsi.is_empty() and sp.nascosto(sp.funnel(snap.percorsi), "lavoratori", step4):
        quota, pal = "riservato", f"meno di {privacy.soglia()} lavoratori in uno degli stati: dato non mostrato"
    # A bilateral tavolo counts its own meetings; the regional one counts all.
    tavoli = ora["tavoli_regionali"] + ora["tavoli_bilaterali"] if t.regionale else ora["tavoli_bilaterali"]
    tavoli_testo = (
        f"{ora['tavoli_regionali']} regionali, {ora['tavoli_bilaterali']} bilaterali"
        if t.regionale
        else f"tavoli bilaterali con {t.territorio} nel {f.anno}"
    )
    cifre = [
        Cifra("Lavoratori coinvolti", formatting.numero(ora["lavoratori"]), confronto("lavoratori")),
        Cifra("Unità produttive coinvolte", formatting.numero(ora["unita"]), confronto("unita")),
        Cifra("PAL attivata (modello a step)", quota, pal),
        Cifra("Tavoli svolti", formatting.numero(tavoli), tavoli_testo),
        *_cifre_per_tipo(snap),
    ]
    titolo = f"{t.territorio}, {f.anno}: {formatting.numero(ora['lavoratori'])} lavoratori coinvolti"
    v0, v1 = somma[(f.anno_precedente, "lavoratori")], somma[(f.anno, "lavoratori")]
    if snap.confrontabile and v0:
        titolo += f", {formatting.variazione(v1, v0)} sul {f.anno_precedente}"
    return Slide(
        chiave="cifre",
        titolo=titolo,
        sottotitolo="Le cifre principali dell'anno, confrontate con l'anno precedente" + _periodo_confronto(snap),
        cifre=tuple(cifre),
        note="; ".join(f"{c.etichetta}: {c.valore}, {c.dettaglio}" for c in cifre) + ".",
    )


def _cifre_per_tipo(snap: Snapshot) -> list[Cifra]:
    """Workers by procedure type; for a province also its weight on the regional total, as published."""
    f, t = snap.filtri, snap.tavolo
    anno = snap.celle.filter(pl.col("anno") == f.anno)
    cifre = []
    for tipo in f.tipi:
        del_tipo = anno.filter(pl.col("tipo") == tipo)
        qui = del_tipo.filter(pl.col("sigla").is_in(t.province))
        lavoratori, unita = int(qui["lavoratori"].sum()), int(qui["unita"].sum())
        if t.regionale:
            dettaglio = f"in {formatting.numero(unita)} unità produttive"
        else:
            dettaglio = f"peso sul totale regionale: {formatting.peso(lavoratori, int(del_tipo['lavoratori'].sum()))}%"
        cifre.append(Cifra(TIPO[tipo].etichetta, formatting.numero(lavoratori), dettaglio))
    return cifre


def slide_confronto(snap: Snapshot) -> Slide:
    """2024–2025: each province year against year (regional), or the province by procedure type (bilateral)."""
    f, t = snap.filtri, snap.tavolo
    anni = (f.anno_precedente, f.anno)
    if not snap.confrontabile:
        return Slide(
            chiave="confronto",
            titolo=f"Confronto {f.anno_precedente}–{f.anno} non disponibile",
            punti=(f"Il database non contiene dati del {f.anno_precedente}.",),
        )
    sorgente = fonte(snap.info)
    if t.regionale:
        prov = cf.per_provincia(snap.celle_confronto, "lavoratori", anni, SIGLE)
        fig = grafici_confronto.province_anni(prov, "lavoratori", anni, sorgente)
        tabella = formatting.tabella(cf.tabella_province(prov, anni))
        titolo, sottotitolo = titolo_di(fig)
        sottotitolo += _periodo_confronto(snap)
    else:
        fig = lavoratori_per_tipo(snap.celle_confronto.filter(pl.col("sigla") == t.codice), f.anno, sorgente)
        totali = cf.totali_per_tipo(snap.celle_confronto, "lavoratori", anni, f.tipi, t.province)
        tabella = pl.DataFrame(
            [(e, formatting.numero(v0), formatting.numero(v1), formatting.differenza(v1, v0),
              formatting.variazione(v1, v0)) for e, v0, v1 in totali],
            schema=["Tipo di procedura", str(anni[0]), str(anni[1]), "Differenza", "Var. %"], orient="row",
        )  # fmt: skip
        e, v0, v1 = max(totali[: len(f.tipi)], key=lambda r: abs(r[2] - r[1]))
        titolo = (
            f"{t.territorio}, {anni[0]} → {anni[1]}. {e}: {formatting.differenza(v1, v0)} lavoratori "
            f"({formatting.variazione(v1, v0)}), la variazione maggiore"
            if v1 != v0
            else f"{t.territorio}, {anni[0]} → {anni[1]}: nessuna variazione per tipo di procedura"
        )
        sottotitolo = f"Lavoratori coinvolti per tipo di procedura, {anni[0]} e {anni[1]}" + _periodo_confronto(snap)
    return Slide(
        chiave="confronto",
        titolo=titolo,
        sottotitolo=sottotitolo,
        figure=(fig,),
        tabella=tabella,
        note=titolo_di(fig)[0],
    )


def slide_mappa(snap: Snapshot) -> Slide:
    """The provinces coloured by workers involved, the tavolo's province outlined."""
    f, t = snap.filtri, snap.tavolo
    valori = vista_mappe.indicatore("lavoratori", f.anno, snap.territorio)
    classi = vista_mappe.classi("lavoratori", valori["valore"].to_list())
    evidenziate = () if t.regionale else t.province
    mappa = mappe.mappa(valori, "lavoratori", classi, evidenziate, cornice=geo.CORNICE_SLIDE)
    if t.regionale:
        scoperta, misura = vista_mappe.titolo_barre(valori, "lavoratori", f.anno)
        titolo = f"{misura}: {scoperta[0].lower()}{scoperta[1:]}"
        sottotitolo = "Lavoratori coinvolti per provincia (sede dell'unità produttiva)"
    else:
        riga = valori.filter(pl.col("sigla") == t.codice).row(0, named=True)
        peso = formatting.peso(int(riga["valore"]), int(valori["valore"].sum()))
        titolo = (
            f"{t.territorio} nel {f.anno}: {riga['testo']} lavoratori coinvolti, "
            f"{riga['posizione']}ª provincia su {len(SIGLE)} ({peso}% del totale regionale)"
        )
        sottotitolo = f"Lavoratori coinvolti per provincia; contorno spesso: {t.territorio}"
    return Slide(
        chiave="mappa",
        titolo=titolo,
        sottotitolo=sottotitolo,
        figure=(mappa,),
        tabella=formatting.tabella(vista_mappe.tabella(valori, "lavoratori")),
        legenda=tuple(vista_mappe.legenda(classi, valori)),
        legenda_titolo=f"Lavoratori coinvolti, {f.anno}",
        note=f"{titolo}. {ATTRIBUZIONE_GEO}.",
    )


def slide_step(snap: Snapshot) -> Slide:
    """The step model's funnel for the tavolo's territory (CIGS ministeriali, decreto 5151/2025)."""
    f, t = snap.filtri, snap.tavolo
    cigs_min = TIPO[TIPO_MODELLO_STEP].etichetta
    sottotitolo = f"{cigs_min} con obbligo di PAL, {t.territorio}, {f.anno} (decreto regionale 5151/2025)"
    if snap.percorsi.is_empty():
        motivo = (
            f"Il modello a step riguarda solo le {cigs_min}, escluse dai filtri."
            if TIPO_MODELLO_STEP not in f.tipi
            else f"Nessun lavoratore nel modello a step per {t.territorio} nel {f.anno}: il modello è partito con "
            "il decreto regionale 5151 del 10/04/2025."
        )
        return Slide(chiave="step", titolo="Modello a step: nessuna coorte da mostrare", sottotitolo=sottotitolo,
                     punti=(motivo,))  # fmt: skip
    funnel = sp.funnel(snap.percorsi)
    fig = grafici_step.funnel(funnel, sp.coorte(snap.percorsi), fonte(snap.info))
    titolo, spiegazione = titolo_di(fig)
    return Slide(
        chiave="step",
        titolo=f"{t.territorio} — {titolo}",
        sottotitolo=f"{cigs_min} (decreto 5151/2025): {spiegazione[0].lower()}{spiegazione[1:]}",
        figure=(fig,),
        tabella=sp.per_schermo(funnel, sp.TABELLA_FUNNEL),
        note=sp.nota_riservatezza(),
    )


MAX_CASI = 8


def slide_casi(snap: Snapshot) -> Slide:
    """The open high-complexity cases of the territory, most urgent first, with their traffic light."""
    f, t = snap.filtri, snap.tavolo
    aperti = casi.filtra(
        snap.casi,
        province=None if t.regionale else t.province,
        tipi=None if f.tutti_i_tipi else f.tipi,
        stati=casi.STATI_APERTI,
    )
    ind = casi.indicatori(aperti)
    al = formatting.data(snap.info.data_estrazione)
    if aperti.is_empty():
        return Slide(
            chiave="casi",
            titolo=f"{t.territorio}: nessun caso ad alta complessità aperto",
            sottotitolo=f"Casi aperti o in monitoraggio al {al}",
            punti=("Nessun caso del cruscotto dei casi ad alta complessità riguarda questo territorio.",),
        )
    parti = [f"{ind.aperti} {'caso aperto' if ind.aperti == 1 else 'casi aperti'} ad alta complessità"]
    if ind.scaduti:
        parti.append(f"{ind.scaduti} con scadenza superata")
    if ind.entro_30:
        parti.append(f"{ind.entro_30} in scadenza entro 30 giorni")
    mostrati = aperti.head(MAX_CASI)
    tabella = pl.DataFrame(
        {
            "Semaforo": [casi.ETICHETTA_SEMAFORO[v] for v in mostrati["semaforo"]],
            "Azienda": mostrati["ragione_sociale"],
            "Province": mostrati["province"].list.join(", "),
            "Lavoratori": mostrati.select(casi.testo_lavoratori())["lavoratori"],
            "Rischio": mostrati["rischio"],
            "Prossima scadenza": [
                f"{formatting.data(d)} · {casi.descrivi_scadenza(g)}" if d else casi.descrivi_scadenza(g)
                for d, g in zip(mostrati["prossima_scadenza"], mostrati["giorni_alla_scadenza"], strict=True)
            ],
            "Ultimo tavolo": [formatting.data(d) if d else "nessuno" for d in mostrati["ultimo_tavolo"]],
        }
    )
    altri = f"; i primi {MAX_CASI} di {ind.aperti}" if ind.aperti > MAX_CASI else ""
    return Slide(
        chiave="casi",
        titolo=f"{t.territorio}: " + ", ".join(parti),
        sottotitolo=f"In ordine di urgenza, giorni contati al {al}{altri}; lavoratori di tutte le sedi del caso",
        tabella=tabella,
        colori_tabella=("Semaforo", {casi.ETICHETTA_SEMAFORO[k]: v for k, v in tema.COLORE_SEMAFORO.items()}),
        note=casi.REGOLA_SEMAFORO.replace("**", ""),
    )


MAX_DIFFERENZE = 5  # with the row of figures above, the table fits the slide


def _elenco_trimestri(g: pl.DataFrame, stato: str, regionale: bool) -> str:
    """'Varese T1, T2, T3; Pavia T3' (or just 'T1, T2' for a province's own deck)."""
    parti = []
    righe = g.filter(pl.col("stato") == stato)
    for provincia in dict.fromkeys(righe["provincia"].to_list()):
        trimestri = ", ".join(f"T{t}" for t in righe.filter(pl.col("provincia") == provincia)["trimestre"])
        parti.append(f"{provincia} {trimestri}" if regionale else trimestri)
    return "; ".join(parti) or "nessuno"


def slide_monitoraggio(snap: Snapshot) -> Slide:
    """The Nuclei's quarterly PAL monitoring: who has sent, and the main differences from the microdata."""
    f, t, m = snap.filtri, snap.tavolo, snap.monitoraggio
    sottotitolo = (
        f"Monitoraggio trimestrale delle PAL inviato dai Nuclei crisi, {t.territorio}, {f.anno}: confronto con i "
        "microdati del modello a step"
    )
    if m is None or not m.inviati:
        return Slide(chiave="monitoraggio", titolo=f"{t.territorio}: nessun monitoraggio trimestrale per il {f.anno}",
                     sottotitolo=sottotitolo,
                     punti=("Nessun Nucleo crisi ha ancora inviato un trimestre di quest'anno.",))  # fmt: skip
    r = m.riepilogo
    titolo = f"{t.territorio}, monitoraggio {f.anno}: {r.inviati} trimestri inviati su {r.dovuti}"
    for stato, una, piu in ((vm.IN_RITARDO, "in ritardo", "in ritardo"), (vm.MANCANTE, "mancante", "mancanti")):
        if r.conteggi[stato]:
            titolo += f", {r.conteggi[stato]} {una if r.conteggi[stato] == 1 else piu}"
    rp = m.riconciliazione_province
    da_verificare = rp.filter(pl.col("da_verificare"))
    principali = da_verificare.sort(pl.col("differenza").abs(), descending=True).head(MAX_DIFFERENZE)
    cifre = (
        Cifra("Trimestri inviati", f"{r.inviati} di {r.dovuti}", f"{r.conteggi[vm.IN_ATTESA]} in attesa di scadenza"),
        *(
            Cifra(etichetta, str(r.conteggi[stato]), _elenco_trimestri(m.griglia, stato, t.regionale))
            for etichetta, stato in (("In ritardo", vm.IN_RITARDO), ("Mancanti", vm.MANCANTE))
        ),
        Cifra("Differenze da verificare", formatting.numero(da_verificare.height),
              f"oltre {m.tolleranza} lavoratori dai microdati"),
    )  # fmt: skip
    note = f"{vm.nota_scadenza(m.scadenza_gg, m.tolleranza)} Tabelle pubblicate: {vm.esito_pubblicate(m.pubblicate)}."
    if principali.is_empty():  # the four figures say it all: no table
        return Slide(chiave="monitoraggio", titolo=titolo, sottotitolo=sottotitolo, cifre=cifre, note=note)
    tabella = vm.riconciliazione_tabella(principali, False).drop("Segno", "Esito")
    altre = f"; le {MAX_DIFFERENZE} maggiori di {da_verificare.height}" if da_verificare.height > MAX_DIFFERENZE else ""
    return Slide(
        chiave="monitoraggio",
        titolo=titolo,
        sottotitolo=f"Differenze principali tra quanto dichiarato e i microdati del modello a step{altre}",
        cifre=cifre,
        tabella=tabella,
        note=note,
    )


def slide_fonti(snap: Snapshot) -> Slide:
    """Where the figures come from and how to read them."""
    f, info = snap.filtri, snap.info
    punti = [
        f"Dati al {formatting.data(info.data_estrazione)}: tutte le cifre di questa presentazione vengono da "
        "questa stessa estrazione.",
        f"Fonti: {', '.join(info.fonti)} ({ORIGINE}).",
        f"Filtri: {f.descrizione()}.",
        "Procedure: CIGS ministeriali (linee guida A), CIGS regionali (B, C), licenziamenti collettivi (D); "
        "un'unità produttiva conta una volta per ogni procedura che la coinvolge.",
        "Peso %: quota della provincia sul totale regionale, con un decimale, come nelle tabelle pubblicate.",
        f"Modello a step (decreto regionale 5151 del 10/04/2025): {TIPO[TIPO_MODELLO_STEP].etichetta}; "
        "la quota con PAL attivata è la parte della coorte giunta allo STEP 4.",
        "Riservatezza: i conteggi di lavoratori inferiori a 3 sono indicati come «<3».",
        f"{ATTRIBUZIONE_GEO}.",
    ]
    if snap.periodo.confrontabile:
        punti.insert(
            3, f"Il {f.anno} non è completo: i confronti usano lo stesso periodo ({snap.periodo.descrizione()})."
        )
    if info.demo:
        punti.insert(1, "Attenzione: dati dimostrativi, non utilizzabili per decisioni.")
    return Slide(
        chiave="fonti",
        titolo="Fonti e note",
        sottotitolo=fonte(info),
        punti=tuple(punti),
        note="Le definizioni complete di ogni indicatore sono nel dizionario dei dati del cruscotto.",
    )
