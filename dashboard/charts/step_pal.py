"""Charts of the step model: funnel, current status, provinces, timing, monthly cohorts, PAL measures, operators.

Hidden cells (privacy) arrive as null values with their label in `<colonna>_soppresso`: they are drawn empty (a
pale hatched or blank mark) with the label, never with a length.
"""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go
import polars as pl
from plotly.subplots import make_subplots

from dashboard import formatting, privacy, tema
from dashboard.charts import larghezza_testo, stile
from dashboard.charts.eventi import segna
from dashboard.viste.eventi import Evento
from dashboard.viste.step_pal import COLONNE_STEP
from data_access.dominio import ETICHETTA_STEP, FASE_STEP, GIORNI_OBIETTIVO_GOL, NO_PAL, STEPS

COLORE_NASCOSTO = "#EFEFEF"
TRATTEGGIO = {"shape": "/", "fgcolor": "#9E9E9E", "bgcolor": COLORE_NASCOSTO, "solidity": 0.25}
GRIGLIA = "#E6E6E6"
# Legend entries are measured before the web font loads and then drawn wider: a little room at their end.
MARGINE_LEGENDA = "\u00a0\u00a0\u00a0"


def _etichette(df: pl.DataFrame, colonna: str) -> list[str | None]:
    m = privacy.marcatore(colonna)
    return df[m].to_list() if m in df.columns else [None] * df.height


def _quota(valore: float | None) -> str:
    """A share held in percent (51.0) as '51,0%'."""
    return formatting.percentuale(None if valore is None else valore / 100)


def _larghezza(etichette: list[str], dimensione: int = tema.FONT_BASE - 1) -> int:
    """Pixels taken by the longest category label (tags and line breaks considered)."""
    return int(max((larghezza_testo(e, dimensione, 0.56) for e in etichette), default=4 * dimensione * 0.56)) + 30


def _margine_sinistro(fig: go.Figure, pixel: int) -> go.Figure:
    """A fixed left margin for the category labels (automargin measures them before the web font is drawn)."""
    fig.update_layout(margin={"l": pixel})
    fig.update_yaxes(automargin=False)
    return fig


def _giorni(valore: float) -> str:
    """Days with a decimal only when the median falls between two days (80,5)."""
    return formatting.numero(valore, 0 if float(valore).is_integer() else 1)


def _assi_interi(fig: go.Figure, asse: str, massimo: int) -> None:
    """Counts of workers have whole-number ticks, even on a small scale."""
    impostazioni = {"tickformat": ",d", **({"dtick": 1} if massimo <= 8 else {})}
    (fig.update_xaxes if asse == "x" else fig.update_yaxes)(**impostazioni)


def _nome_step(codice: str) -> str:
    return f"{ETICHETTA_STEP[codice]} · {FASE_STEP[codice]}"


def _nome_step_a_capo(codice: str) -> str:
    return f"<b>{ETICHETTA_STEP[codice]}</b><br>{FASE_STEP[codice]}"


def funnel(df: pl.DataFrame, coorte: int, fonte: str) -> go.Figure:
    """The funnel STEP 1 → STEP 4 (workers who reached each step), with the exempted (NO PAL) drawn apart below."""
    passi = df.filter(pl.col("codice") != NO_PAL.codice)
    nopal = df.filter(pl.col("codice") == NO_PAL.codice)
    fig = make_subplots(rows=2, cols=1, row_heights=[0.8, 0.2], vertical_spacing=0.12, shared_xaxes=True)
    for riga, parte in ((1, passi), (2, nopal)):
        nascosti = _etichette(parte, "lavoratori")
        testo = [
            (" " if riga == 2 else "") + (e or f"<b>{formatting.numero(n)}</b> · {_quota(q)}")
            for n, q, e in zip(parte["lavoratori"], parte["quota"], nascosti, strict=True)
        ]
        fig.add_trace(
            go.Funnel(
                y=[_nome_step_a_capo(c) for c in parte["codice"]],
                x=[n or 0 for n in parte["lavoratori"]],
                text=testo,
                textinfo="text",
                # A hidden count has no bar (width 0): its label goes outside, where it can be read.
                textposition=["outside" if e or riga == 2 else "inside" for e in nascosti],
                insidetextanchor="middle",
                textfont={"size": tema.FONT_BASE + 2, "color": [tema.TESTO_SU_STEP[c] for c in parte["codice"]]},
                outsidetextfont={"size": tema.FONT_BASE + 2, "color": tema.GRIGIO_TESTO},
                marker={"color": [tema.COLORE_STEP[c] for c in parte["codice"]]},
                connector={"fillcolor": "#F2F2F2", "line": {"width": 0}},
                hovertemplate="%{y}: %{text}<extra></extra>",
                showlegend=False,
            ),
            row=riga,
            col=1,
        )
    # Conversion from the step before, written to the right of each bar.
    for codice, conv, etichetta in zip(
        passi["codice"], passi["conversione"], _etichette(passi, "conversione"), strict=True
    ):
        origine = "della coorte" if codice == STEPS[0].codice else "dallo step prima"
        fig.add_annotation(
            x=1.0, xref="paper", xanchor="left", xshift=12, y=_nome_step_a_capo(codice), yref="y", showarrow=False,
            text=f"<b>{etichetta or _quota(conv)}</b><br>{origine}", align="left",
            font={"size": tema.FONT_BASE - 2, "color": tema.GRIGIO_TESTO},
        )  # fmt: skip
    fig.add_annotation(
        x=1.0, xref="paper", xanchor="left", xshift=12, y=_nome_step_a_capo(NO_PAL.codice), yref="y2",
        showarrow=False, text="esonerati,<br>fuori dal percorso", align="left",
        font={"size": tema.FONT_BASE - 2, "color": tema.GRIGIO_TESTO},
    )  # fmt: skip
    fig.update_xaxes(visible=False)
    fig.update_yaxes(tickfont={"size": tema.FONT_BASE}, showline=False, ticks="")
    arrivati = passi.filter(pl.col("codice") == STEPS[-1].codice).row(0, named=True)
    titolo = "Percorso dei lavoratori nel modello a step"
    if arrivati["lavoratori"] is not None:
        titolo = (
            f"PAL attivata per {formatting.numero(arrivati['lavoratori'])} lavoratori su "
            f"{formatting.numero(coorte)}: il {_quota(arrivati['quota'])}"
        )
    fig = stile(
        fig,
        titolo,
        sottotitolo="Lavoratori arrivati a ciascuno step e % sulla coorte; a destra la conversione",
        fonte=fonte,
        fonte_a_capo=True,  # a chart for a column of the page
        altezza=550,
        margine={"r": 170},  # the conversions, written right of the bars
    )
    return _margine_sinistro(fig, _larghezza([_nome_step_a_capo(c) for c in df["codice"]], tema.FONT_BASE))


def stato_attuale(df: pl.DataFrame, coorte: int, fonte: str, anno: int) -> go.Figure:
    """Where the cohort stands today: one stacked horizontal bar, STEP 1 to STEP 4 then NO PAL."""
    fig = go.Figure()
    riga = [f"Coorte {anno}"]
    for codice, n, q, etichetta in zip(
        df["codice"], df["lavoratori"], df["quota"], _etichette(df, "lavoratori"), strict=True
    ):
        if etichetta is not None:
            continue
        fig.add_bar(
            name=_nome_step(codice),
            x=[n],
            y=riga,
            orientation="h",
            marker={"color": tema.COLORE_STEP[codice], "line": {"color": "white", "width": 2}},
            text=[f"<b>{ETICHETTA_STEP[codice]}</b><br>{formatting.numero(n)}<br>{_quota(q)}"],
            textposition="inside",
            insidetextanchor="middle",
            textfont={"color": tema.TESTO_SU_STEP[codice], "size": tema.FONT_BASE},
            hovertemplate=f"{_nome_step(codice)}: {formatting.numero(n)} ({_quota(q)})<extra></extra>",
        )
    nascosti = [e for e in _etichette(df, "lavoratori") if e is not None]
    if nascosti:
        # The hidden stages together: their sum follows from the published cohort anyway, their split does not.
        resto = coorte - int(df["lavoratori"].fill_null(0).sum())
        nomi = ", ".join(
            ETICHETTA_STEP[c] for c, e in zip(df["codice"], _etichette(df, "lavoratori"), strict=True) if e is not None
        )
        fig.add_bar(
            name=f"Riservati: {nomi}",
            x=[resto],
            y=riga,
            orientation="h",
            marker={"color": COLORE_NASCOSTO, "pattern": TRATTEGGIO, "line": {"color": "white", "width": 2}},
            text=[nascosti[0] if len(set(nascosti)) == 1 else "riservato"],
            textposition="inside",
            insidetextanchor="middle",
            textfont={"color": tema.GRIGIO_TESTO, "size": tema.FONT_BASE},
            hovertemplate=f"Non mostrati per riservatezza: {nomi}<extra></extra>",
        )
    fig.update_layout(barmode="stack", bargap=0.1, uniformtext={"minsize": tema.FONT_BASE - 4, "mode": "hide"})
    fig.update_xaxes(range=[0, max(coorte, 1)], visible=False)
    fig.update_yaxes(visible=False)
    visibili = df.filter(pl.col("lavoratori").is_not_null() & (pl.col("codice") != NO_PAL.codice))
    titolo = f"Dove sono oggi i {formatting.numero(coorte)} lavoratori"
    step4 = visibili.filter(pl.col("codice") == STEPS[-1].codice)
    fermi = visibili.filter(pl.col("codice") != STEPS[-1].codice).sort("lavoratori", descending=True)
    if not step4.is_empty() and not fermi.is_empty():
        titolo = (
            f"Oggi {_quota(step4['quota'][0])} con PAL attivata; il gruppo più grande in attesa è allo "
            f"{fermi['stato'][0]} ({_quota(fermi['quota'][0])})"
        )
    fig = stile(
        fig,
        titolo,
        sottotitolo=f"Ultimo step raggiunto da ciascuno dei {formatting.numero(coorte)} lavoratori",
        fonte=fonte,
        altezza=330,
    )
    fig.update_layout(showlegend=False)
    return _margine_sinistro(fig, 10)


def province(df: pl.DataFrame, fonte: str) -> go.Figure:
    """Heatmap: share of each province's cohort that reached each step; provinces below the total's STEP 4 marked."""
    sola = df.height == 2  # one province: the total is the same row, drawn once
    media = df["quota_step4"][0]
    df = df.slice(1) if sola else df
    colonne = [ETICHETTA_STEP[s.codice] for s in STEPS]
    righe = []
    for r in df.iter_rows(named=True):
        nome = f"{r['provincia']} ({formatting.numero(r['coorte'])})"
        if r["sotto_media"]:
            nome = f'<span style="color:{tema.COLORE_SOTTO_MEDIA}"><b>▼ {nome}</b></span>'
        elif r["sigla"] == df["sigla"][0]:
            nome = f"<b>{nome}</b>"
        righe.append(nome)
    quote = [[r[f"quota_{c}"] for c in COLONNE_STEP] for r in df.iter_rows(named=True)]
    etichette = [[r.get(privacy.marcatore(f"quota_{c}")) for c in COLONNE_STEP] for r in df.iter_rows(named=True)]
    fig = go.Figure()
    fig.add_heatmap(
        z=quote, x=colonne, y=righe, zmin=0, zmax=100, xgap=3, ygap=3, hoverinfo="skip",
        colorscale=list(zip((0, 0.25, 0.5, 0.75, 1), tema.SEQUENZIALE, strict=True)),
        colorbar={"title": {"text": "% della coorte", "side": "right"}, "ticksuffix": "%", "len": 0.8},
    )  # fmt: skip
    nascosti = [[1 if e is not None else None for e in riga] for riga in etichette]
    if any(v for riga in nascosti for v in riga):
        fig.add_heatmap(
            z=nascosti, x=colonne, y=righe, showscale=False, xgap=3, ygap=3, hoverinfo="skip",
            colorscale=[[0, COLORE_NASCOSTO], [1, COLORE_NASCOSTO]],
        )  # fmt: skip
    # Cell labels as text marks, each in a colour that reads on its cell (white on the dark greens).
    celle = [
        (x, y, e or _quota(q), "#555555" if e else ("white" if q is not None and q >= 62.5 else tema.GRIGIO_TESTO))
        for y, rq, re_ in zip(righe, quote, etichette, strict=True)
        for x, q, e in zip(colonne, rq, re_, strict=True)
    ]
    fig.add_scatter(
        x=[c[0] for c in celle], y=[c[1] for c in celle], text=[c[2] for c in celle], mode="text",
        textfont={"size": tema.FONT_BASE, "color": [c[3] for c in celle]}, showlegend=False,
        hovertemplate="%{y} · %{x}: %{text}<extra></extra>",
    )  # fmt: skip
    fig.update_yaxes(autorange="reversed", showline=False, ticks="", showgrid=False)
    fig.update_xaxes(side="top", showline=False, ticks="", showgrid=False, tickfont={"size": tema.FONT_BASE})
    sotto = int(df["sotto_media"].sum())
    confrontate = int(df.slice(1)["quota_step4"].is_not_null().sum())
    titolo = "Lavoratori arrivati a ogni step, per provincia"
    if sola:
        titolo = f"Lavoratori arrivati a ogni step: {df['provincia'][0]}"
        if media is not None:
            titolo = f"PAL attivata per il {_quota(media)} dei lavoratori di {df['provincia'][0]}"
    elif media is not None:
        nome = df["provincia"][0]
        di = "della Lombardia" if nome == "Lombardia" else f"della {nome.lower()}"
        province = "provincia" if confrontate == 1 else "province"
        titolo = f"PAL attivata: {sotto} {province} su {confrontate} sotto il {_quota(media)} {di}"
    fig = stile(
        fig,
        titolo,
        sottotitolo="% della coorte arrivata a ogni step · tra parentesi i lavoratori"
        if sola
        else "% della coorte di ciascuna provincia arrivata a ogni step · tra parentesi i lavoratori · "
        f'<span style="color:{tema.COLORE_SOTTO_MEDIA}"><b>▼ sotto il dato complessivo allo STEP 4</b></span>',
        fonte=fonte,
        altezza=max(440, 240 + 42 * df.height),
        margine={"r": 150},  # the colour bar's room, so that the source line keeps to the figure's edge
    )
    fig.update_layout(margin={"t": 150}, title={"y": 0.985, "yanchor": "top", "yref": "container"})
    return _margine_sinistro(fig, _larghezza(righe))


def tempi(df: pl.DataFrame, fonte: str) -> go.Figure:
    """By province: median days from STEP 1 to STEP 4 against the GOL target, and the share activated in time."""
    colonna = f"giorni_{COLONNE_STEP[0]}_{COLONNE_STEP[-1]}"
    totale = df.row(0, named=True)
    prov = df.slice(1).sort("quota_entro", "provincia", descending=[True, False], nulls_last=True)
    nomi = prov["provincia"].to_list()
    fig = make_subplots(
        rows=1, cols=2, shared_yaxes=True, horizontal_spacing=0.1,
        subplot_titles=(f"Giorni dallo STEP 1 allo STEP 4 (mediana) · - - obiettivo {GIORNI_OBIETTIVO_GOL}",
                        f"PAL entro {GIORNI_OBIETTIVO_GOL} giorni · ··· {totale['provincia']} "
                        f"{_quota(totale['quota_entro'])}"),
    )  # fmt: skip
    giorni = prov[colonna].to_list()
    fig.add_bar(
        x=[g or 0 for g in giorni], y=nomi, orientation="h", row=1, col=1, showlegend=False, cliponaxis=False,
        marker={"color": tema.COLORE_STEP[STEPS[-1].codice]}, textposition="outside",
        text=[" " + (e or _giorni(g)) for g, e in zip(giorni, _etichette(prov, colonna), strict=True)],
        hovertemplate="%{y}: %{text} giorni (mediana)<extra></extra>",
    )  # fmt: skip
    quote = prov["quota_entro"].to_list()
    media = totale["quota_entro"]
    fig.add_bar(
        x=[q or 0 for q in quote], y=nomi, orientation="h", row=1, col=2, showlegend=False, cliponaxis=False,
        marker={"color": [tema.COLORE_SOTTO_MEDIA if media is not None and q is not None and q < media
                          else tema.COLORE_STEP[STEPS[-1].codice] for q in quote]},
        text=[" " + (e or _quota(q)) for q, e in zip(quote, _etichette(prov, "quota_entro"), strict=True)],
        textposition="outside", hovertemplate="%{y}: %{text} entro 120 giorni<extra></extra>",
    )  # fmt: skip
    fig.add_vline(x=GIORNI_OBIETTIVO_GOL, row=1, col=1, line={"color": tema.GRIGIO_TESTO, "dash": "dash", "width": 3})
    if media is not None:
        fig.add_vline(x=media, row=1, col=2, line={"color": tema.GRIGIO_TESTO, "dash": "dot", "width": 3})
    massimo = max([g for g in giorni if g is not None] + [GIORNI_OBIETTIVO_GOL])
    fig.update_xaxes(range=[0, massimo * 1.2], row=1, col=1, showgrid=True, gridcolor=GRIGLIA, title="Giorni")
    fig.update_xaxes(range=[0, 118], row=1, col=2, showgrid=True, gridcolor=GRIGLIA, ticksuffix="%",
                     title="% dei presi in carico da almeno 120 giorni")  # fmt: skip
    fig.update_yaxes(categoryorder="array", categoryarray=nomi, autorange="reversed")
    fig.update_annotations(font={"size": tema.FONT_BASE - 1})
    titolo = "Tempi dalla presa in carico alla PAL, per provincia"
    if media is not None and totale[colonna] is not None:
        titolo = (
            f"PAL entro {GIORNI_OBIETTIVO_GOL} giorni per il {_quota(media)}; mediana "
            f"{formatting.numero(totale[colonna], 0)} giorni dalla presa in carico"
        )
    fig = stile(
        fig,
        titolo,
        sottotitolo=f"<span style='color:{tema.COLORE_SOTTO_MEDIA}'><b>in arancio</b></span> le province sotto "
        "il dato complessivo · la quota conta chi è stato preso in carico da almeno 120 giorni, esonerati esclusi",
        fonte=fonte,
        altezza=max(460, 260 + 40 * len(nomi)),
    )
    fig.update_layout(margin={"t": 150}, title={"y": 0.985, "yanchor": "top", "yref": "container"})
    return _margine_sinistro(fig, _larghezza(nomi))


def mensili(df: pl.DataFrame, fonte: str, eventi: Sequence[Evento] = ()) -> go.Figure:
    """Workers taken in charge each month, beside those with PAL activated today; the decree and tavoli marked."""
    fig = go.Figure()
    for colonna, nome, codice in (
        ("lavoratori", "Presi in carico" + MARGINE_LEGENDA, STEPS[0].codice),
        ("pal", "Con PAL attivata oggi" + MARGINE_LEGENDA, STEPS[-1].codice),
    ):
        etichette = _etichette(df, colonna)
        fig.add_bar(
            name=nome,
            x=df["mese"].to_list(),
            y=[v or 0 for v in df[colonna]],
            text=[e or formatting.numero(v) for v, e in zip(df[colonna], etichette, strict=True)],
            textposition="outside",
            cliponaxis=False,
            marker={"color": tema.COLORE_STEP[codice]},
            hovertemplate=f"%{{x}} · {nome}: %{{text}}<extra></extra>",
        )
    fig.update_layout(barmode="group", bargap=0.2, bargroupgap=0.05)
    # Month over year, never slanted: a year of months fits a projector's width and the labels keep their height.
    mesi = df["mese"].to_list()
    fig.update_xaxes(tickvals=mesi, ticktext=[m.replace(" ", "<br>", 1) for m in mesi], tickangle=0)
    fig.update_yaxes(showgrid=True, gridcolor=GRIGLIA)
    _assi_interi(fig, "y", df["lavoratori"].max() or 1)
    visibili = df.filter(pl.col("lavoratori").is_not_null())
    segna(fig, eventi, list(df.select("anno_presa", "mese_presa").iter_rows()))
    titolo = "Lavoratori presi in carico per mese"
    if not visibili.is_empty():
        picco = visibili.sort("lavoratori", descending=True).row(0, named=True)
        titolo = f"Prese in carico per mese: picco a {picco['mese']} ({formatting.numero(picco['lavoratori'])})"
    return stile(
        fig,
        titolo,
        sottotitolo="Mese dello STEP 1 · chi è entrato da poco ha avuto meno tempo per arrivare alla PAL",
        fonte=fonte,
        asse_y="Lavoratori",
        altezza=520,
        margine={"r": 70},  # the last month's labels stand outside its bars
    )


def misure(df: pl.DataFrame, fonte: str) -> go.Figure:
    """Workers with PAL activated by measure, largest first."""
    dati = df.sort("lavoratori", descending=True, nulls_last=True)
    testo = [
        "  " + (e or f"{formatting.numero(n)} · {_quota(q)}")
        for n, q, e in zip(dati["lavoratori"], dati["quota"], _etichette(dati, "lavoratori"), strict=True)
    ]
    nomi = dati["misura"].to_list()
    fig = go.Figure(
        go.Bar(
            x=[n or 0 for n in dati["lavoratori"]], y=nomi, orientation="h", text=testo, textposition="outside",
            cliponaxis=False, marker={"color": tema.COLORE_STEP[STEPS[-1].codice]},
            hovertemplate="%{y}: %{text}<extra></extra>",
        )
    )  # fmt: skip
    fig.update_yaxes(autorange="reversed")
    massimo = dati["lavoratori"].fill_null(0).max() or 1
    fig.update_xaxes(range=[0, massimo * 1.3], showgrid=True, gridcolor=GRIGLIA)
    _assi_interi(fig, "x", massimo)
    primo = dati.row(0, named=True)
    titolo = "PAL attivate per misura"
    if primo["lavoratori"]:
        titolo = f"{primo['misura']}: {_quota(primo['quota'])} delle PAL attivate"
    fig = stile(fig, titolo, fonte=fonte, asse_x="Lavoratori con PAL attivata", altezza=400)
    return _margine_sinistro(fig, _larghezza(nomi))


def operatori(df: pl.DataFrame, fonte: str, quanti: int = 10) -> go.Figure:
    """The operators following most workers (with their province), and how many of those have PAL activated."""
    dati = df.filter(pl.col("lavoratori").is_not_null()).head(quanti)
    nomi = [f"{o} ({s})" for o, s in zip(dati["operatore"], dati["sigla"], strict=True)]
    fig = go.Figure()
    fig.add_bar(
        name="Lavoratori seguiti" + MARGINE_LEGENDA, x=dati["lavoratori"].to_list(), y=nomi, orientation="h", width=0.8,
        marker={"color": tema.COLORE_STEP[STEPS[1].codice]}, hovertemplate="%{y}: %{x} seguiti<extra></extra>",
    )  # fmt: skip
    pal = dati["pal"].to_list()
    fig.add_bar(
        name="di cui con PAL attivata" + MARGINE_LEGENDA, x=[p or 0 for p in pal], y=nomi, orientation="h", width=0.4,
        marker={"color": tema.COLORE_STEP[STEPS[-1].codice]},
        customdata=[e or formatting.numero(p) for p, e in zip(pal, _etichette(dati, "pal"), strict=True)],
        hovertemplate="%{y}: %{customdata} con PAL attivata<extra></extra>",
    )  # fmt: skip
    testo = [
        f"  {formatting.numero(n)} seguiti · {e or _quota(q)} con PAL"
        for n, q, e in zip(dati["lavoratori"], dati["quota_pal"], _etichette(dati, "quota_pal"), strict=True)
    ]
    fig.add_scatter(
        x=dati["lavoratori"].to_list(), y=nomi, mode="text", text=testo, textposition="middle right",
        textfont={"size": tema.FONT_BASE - 1}, showlegend=False, hoverinfo="skip", cliponaxis=False,
    )  # fmt: skip
    fig.update_layout(barmode="overlay")
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(range=[0, (dati["lavoratori"].max() or 1) * 1.45], showgrid=True, gridcolor=GRIGLIA)
    _assi_interi(fig, "x", dati["lavoratori"].max() or 1)
    titolo = "Operatori che seguono i lavoratori"
    if not dati.is_empty():
        prima, quanti_prima = dati["provincia"].value_counts(sort=True).row(0)
        titolo = f"I {dati.height} operatori con più lavoratori seguiti"
        if quanti_prima == dati.height > 1:
            titolo += f": tutti in provincia di {prima}"
        elif quanti_prima > 1:
            titolo += f": {quanti_prima} in provincia di {prima}"
    fig = stile(
        fig, titolo, fonte=fonte, asse_x="Lavoratori", altezza=max(400, 200 + 42 * dati.height), margine={"r": 70}
    )
    return _margine_sinistro(fig, _larghezza(nomi))
