"""Year comparison: official tables as published, side-by-side comparison, same-period rule (no Streamlit)."""

from __future__ import annotations

import calendar
import html
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import polars as pl

from dashboard import formatting
from data_access.dominio import NOME_PROVINCIA, SIGLE, TIPO, TOTALE

MISURE: dict[str, str] = {"lavoratori": "Lavoratori coinvolti", "unita": "Unità produttive coinvolte"}
# With the article, for titles: "la quota dei lavoratori coinvolti".
MISURE_ARTICOLATE: dict[str, str] = {
    "lavoratori": "dei lavoratori coinvolti",
    "unita": "delle unità produttive coinvolte",
}
MISURA_PREDEFINITA = "lavoratori"
PERIODI: dict[str, str] = {"stesso": "Stesso periodo", "intero": "Anno intero"}
# An incomplete year is compared on the same period by default: the fair comparison comes first.
PERIODO_PREDEFINITO = "stesso"
PARAM_MISURA, PARAM_PERIODO = "misura", "periodo"
NOTA_PESO = "Peso %: quota della provincia sul totale regionale, una cifra decimale come nella tabella pubblicata."
SEP = " · "
TOT = TOTALE
SELEZIONE = "Selezione"
TOT_CONFRONTO = "Lombardia (TOT)"
SELEZIONE_CONFRONTO = "Totale selezione"
TOTALE_LAVORATORI = "Totale lavoratori coinvolti"
# The four columns of each procedure type, in the published order.
SOTTOCOLONNE: dict[str, str] = {
    "unita": "Unità produttive",
    "peso_unita": "Peso % unità",
    "lavoratori": "Lavoratori",
    "peso_lavoratori": "Peso % lavoratori",
}
# Cells left blank in the Region's published tables; they mean zero: (year, province, type, measure).
CELLE_VUOTE_PUBBLICATE: frozenset[tuple[int, str, str, str]] = frozenset(
    {(2024, "CR", "CIGS_REG", "lavoratori"), (2025, "LO", "CIGS_MIN", "unita"), (2025, "LO", "CIGS_MIN", "lavoratori")}
)


@dataclass(frozen=True)
class Periodo:
    """Whether the later compared year is complete at the extraction date, and the same-period cut-off."""

    anno: int
    data_estrazione: date

    @property
    def completo(self) -> bool:
        """True when the extraction covers the whole year."""
        return self.data_estrazione >= date(self.anno, 12, 31)

    @property
    def confrontabile(self) -> bool:
        """True when a same-period comparison makes sense (the extraction falls inside the year)."""
        return not self.completo and self.data_estrazione.year == self.anno

    def fino_al(self, anno: int) -> date:
        """The cut-off in a year: the extraction's day and month (28 February when the 29th does not exist)."""
        mese, giorno = self.data_estrazione.month, self.data_estrazione.day
        if (mese, giorno) == (2, 29) and not calendar.isleap(anno):
            giorno = 28
        return date(anno, mese, giorno)

    def giorno(self) -> str:
        """The cut-off day in words: '15 marzo'."""
        return f"{self.data_estrazione.day} {formatting.MESI[self.data_estrazione.month - 1]}"

    def descrizione(self) -> str:
        """'1° gennaio – 15 marzo'."""
        return f"1° gennaio – {self.giorno()}"


def periodo_confrontato(periodo: Periodo, scelta: str = PERIODO_PREDEFINITO) -> Periodo | None:
    """The period both years are cut to (`scelta` of PERIODI), or None for whole years.

    The one same-period rule of page and deck: an incomplete year whose extraction falls inside it is compared with
    the same period of the year before, unless the whole years are asked for.
    """
    return periodo if periodo.confrontabile and scelta == "stesso" else None


def avviso_periodo(periodo: Periodo, stesso_periodo: bool) -> str:
    """The notice on an incomplete later year, saying which comparison is shown."""
    estrazione = formatting.data(periodo.data_estrazione)
    if not periodo.confrontabile:
        return f"I dati arrivano al {estrazione}: il {periodo.anno} non è coperto, le sue cifre sono incomplete."
    testo = f"**Il {periodo.anno} non è completo**: i dati arrivano al {estrazione}. "
    if stesso_periodo:
        return testo + (
            f"Per un confronto equo, in entrambi gli anni si contano le procedure avviate tra il 1° gennaio e il "
            f"{periodo.giorno()} (data di inizio della procedura); per gli anni interi scegliere «Anno intero»."
        )
    return testo + (
        f"Il confronto con l'anno intero {periodo.anno - 1} sottostima il {periodo.anno}: "
        "scegliere «Stesso periodo» per un confronto equo."
    )


def titolo_tabella(anno: int, parziale: Periodo | None, *, breve: bool = False) -> str:
    """'Tabella ufficiale 2025', or the period when the table counts only part of the year."""
    if parziale is not None:
        return f"Tabella {anno}, {parziale.descrizione()}"
    return f"Tabella ufficiale {anno}" + ("" if breve else ": casi gestiti in forma coordinata con il territorio")


def didascalia_confronto(misura: str, anni: tuple[int, int]) -> str:
    """The caption of the comparison table."""
    return f"{MISURE[misura]} per provincia e tipo di procedura: {anni[0]}, {anni[1]}, differenza e variazione %"


def nota_variazione(anno_base: int) -> str:
    """The footnote on % changes from a zero base."""
    return f"Var. % «n.d.» quando nel {anno_base} il valore è zero (variazione non calcolabile)."


def _righe_province(
    province: Sequence[str], etichetta: Callable[[str], str], selezione: str, totale: str
) -> list[tuple[str, list[str]]]:
    """The rows of a per-province table: each selected province in the published order, the selection's total when
    some province is left out, then the regional total."""
    selezionate = [s for s in SIGLE if s in province]
    righe = [(etichetta(s), [s]) for s in selezionate]
    if len(selezionate) < len(SIGLE):
        righe.append((selezione, selezionate))
    righe.append((totale, list(SIGLE)))
    return righe


def _gruppi_tipo(tipi: Sequence[str]) -> list[tuple[str, list[str]]]:
    """Each selected procedure type and, with more than one, their total."""
    return [(TIPO[t].etichetta, [t]) for t in tipi] + ([("Totale", list(tipi))] if len(tipi) > 1 else [])


def _indice(celle: pl.DataFrame) -> dict[tuple[int, str, str], dict[str, int]]:
    return {(r["anno"], r["tipo"], r["sigla"]): r for r in celle.iter_rows(named=True)}


def _valore(
    indice: Mapping[tuple[int, str, str], Mapping[str, int]], anno: int, tipo: str, sigla: str, misura: str
) -> int:
    riga = indice.get((anno, tipo, sigla))
    return int(riga[misura]) if riga else 0


def colonna(tipo: str, sotto: str) -> str:
    """The name of a column of the official table, e.g. 'CIGS ministeriali · Peso % unità'."""
    return f"{TIPO[tipo].etichetta}{SEP}{SOTTOCOLONNE[sotto]}"


def tabella_ufficiale(celle: pl.DataFrame, anno: int, tipi: Sequence[str], province: Sequence[str]) -> pl.DataFrame:
    """The Region's table for a year: units, workers and peso % on the regional total per type, with the TOT row.

    `celle` must hold all provinces, because the peso is on the regional total whatever provinces are shown.
    """
    idx = _indice(celle)
    somme = {
        (t, m): sum(_valore(idx, anno, t, s, m) for s in SIGLE) for t in tipi for m in ("unita", "lavoratori")
    }  # fmt: skip
    righe = []
    for etichetta, sigle in _righe_province(province, str, SELEZIONE, TOT):
        riga: dict[str, object] = {"Provincia": etichetta}
        totale = 0
        for t in tipi:
            for m in ("unita", "lavoratori"):
                v = sum(_valore(idx, anno, t, s, m) for s in sigle)
                riga[colonna(t, m)] = v
                riga[colonna(t, f"peso_{m}")] = formatting.valore_peso(v, somme[(t, m)])
            totale += int(riga[colonna(t, "lavoratori")])  # type: ignore[call-overload]
        riga[TOTALE_LAVORATORI] = totale
        righe.append(riga)
    schema: dict[str, type[pl.DataType]] = {"Provincia": pl.String}
    for t in tipi:
        schema |= {colonna(t, m): pl.Float64 if m.startswith("peso") else pl.Int64 for m in SOTTOCOLONNE}
    schema[TOTALE_LAVORATORI] = pl.Int64
    return pl.DataFrame(righe, schema=schema, orient="row")


def ufficiale_testo(tab: pl.DataFrame) -> pl.DataFrame:
    """The official table written as published: '1.615', '10,3', and '100,00' on the TOT row."""

    def cella(nome: str, valore: object, riga: str) -> str:
        if "Peso %" in nome:
            # The published TOT row shows its weights with two decimals.
            return formatting.numero(valore, 2 if riga == TOT else 1)  # type: ignore[arg-type]
        return valore if isinstance(valore, str) else formatting.numero(valore)  # type: ignore[arg-type]

    righe = [{n: cella(n, v, r["Provincia"]) for n, v in r.items()} for r in tab.iter_rows(named=True)]
    return pl.DataFrame(righe, schema=dict.fromkeys(tab.columns, pl.String), orient="row")


def celle_vuote(tab: pl.DataFrame, anno: int) -> set[tuple[str, str]]:
    """(row, column) of the cells that are blank in the published table and zero here, for the footnote mark."""
    out = set()
    for a, sigla, tipo, misura in CELLE_VUOTE_PUBBLICATE:
        nome = colonna(tipo, misura)
        if a == anno and nome in tab.columns:
            riga = tab.filter(pl.col("Provincia") == sigla)
            if riga.height and riga[nome][0] == 0:
                out.add((sigla, nome))
    return out


def nota_celle_vuote(vuote: Collection[tuple[str, str]]) -> str | None:
    """The footnote explaining the marked zeros, or None when no cell is marked."""
    per_cella: dict[tuple[str, str], list[str]] = {}
    ordine = list(SOTTOCOLONNE.values())
    for sigla, nome in sorted(
        vuote, key=lambda v: (SIGLE.index(v[0]), v[1].split(SEP)[0], ordine.index(v[1].split(SEP)[1]))
    ):
        gruppo, sotto = nome.split(SEP)
        per_cella.setdefault((sigla, gruppo), []).append(sotto.lower())
    if not per_cella:
        return None
    elenco = "; ".join(f"{NOME_PROVINCIA[s]}, {g}: {' e '.join(m)}" for (s, g), m in per_cella.items())
    return f"\\* Cella vuota nella tabella pubblicata, dove vale zero; qui è mostrata come 0 ({elenco})."


def per_provincia(celle: pl.DataFrame, misura: str, anni: tuple[int, int], province: Sequence[str]) -> pl.DataFrame:
    """One row per selected province: the measure in the two years (all types in `celle`), difference, % change."""
    prima, dopo = anni
    somma = celle.group_by("anno", "sigla").agg(pl.col(misura).sum())
    valori = {(r["anno"], r["sigla"]): int(r[misura]) for r in somma.iter_rows(named=True)}
    righe = []
    for s in (s for s in SIGLE if s in province):
        v0, v1 = valori.get((prima, s), 0), valori.get((dopo, s), 0)
        var = formatting.valore_variazione(v1, v0)
        righe.append((s, NOME_PROVINCIA[s], v0, v1, v1 - v0, var))
    schema = {
        "sigla": pl.String,
        "provincia": pl.String,
        "prima": pl.Int64,
        "dopo": pl.Int64,
        "differenza": pl.Int64,
        "variazione": pl.Float64,
    }
    return pl.DataFrame(righe, schema=schema, orient="row")


def tabella_confronto(
    celle: pl.DataFrame, misura: str, anni: tuple[int, int], tipi: Sequence[str], province: Sequence[str]
) -> pl.DataFrame:
    """One row per province and the totals: per type (and in all) the two years, the difference and the % change."""
    prima, dopo = anni
    idx = _indice(celle)
    gruppi = _gruppi_tipo(tipi)
    righe = []
    for etichetta, sigle in _righe_province(province, NOME_PROVINCIA.__getitem__, SELEZIONE_CONFRONTO, TOT_CONFRONTO):
        riga: dict[str, object] = {"Provincia": etichetta}
        for nome, tipi_gruppo in gruppi:
            v0, v1 = (sum(_valore(idx, a, t, s, misura) for t in tipi_gruppo for s in sigle) for a in (prima, dopo))
            riga |= {
                f"{nome}{SEP}{prima}": v0,
                f"{nome}{SEP}{dopo}": v1,
                f"{nome}{SEP}Differenza": v1 - v0,
                f"{nome}{SEP}Var. %": formatting.valore_variazione(v1, v0),
            }
        righe.append(riga)
    schema: dict[str, type[pl.DataType]] = {"Provincia": pl.String}
    for nome, _ in gruppi:
        schema |= {f"{nome}{SEP}{a}": pl.Int64 for a in (prima, dopo)}
        schema |= {f"{nome}{SEP}Differenza": pl.Int64, f"{nome}{SEP}Var. %": pl.Float64}
    return pl.DataFrame(righe, schema=schema, orient="row")


def confronto_testo(tab: pl.DataFrame) -> pl.DataFrame:
    """The comparison table in Italian formats: '+2.243' differences, '+23,5%' changes, 'n.d.' on a zero base."""
    anni = sorted({int(c.rsplit(SEP, 1)[1]) for c in tab.columns if c.rsplit(SEP, 1)[-1].isdigit()})
    prima, dopo = anni[0], anni[-1]

    def riga_testo(r: dict[str, object]) -> dict[str, str]:
        out = {"Provincia": str(r["Provincia"])}
        for nome in tab.columns[1:]:
            gruppo, sotto = nome.rsplit(SEP, 1)
            v0, v1 = r[f"{gruppo}{SEP}{prima}"], r[f"{gruppo}{SEP}{dopo}"]
            if sotto == "Differenza":
                out[nome] = formatting.differenza(v1, v0)  # type: ignore[arg-type]
            elif sotto == "Var. %":
                out[nome] = formatting.variazione(v1, v0)  # type: ignore[arg-type]
            else:
                out[nome] = formatting.numero(r[nome])  # type: ignore[arg-type]
        return out

    righe = [riga_testo(r) for r in tab.iter_rows(named=True)]
    return pl.DataFrame(righe, schema=dict.fromkeys(tab.columns, pl.String), orient="row")


def totali_per_tipo(
    celle: pl.DataFrame, misura: str, anni: tuple[int, int], tipi: Sequence[str], province: Sequence[str]
) -> list[tuple[str, int, int]]:
    """(label, earlier, later) of the measure for each selected type and, with more than one type, in all."""
    righe = celle.filter(pl.col("sigla").is_in(list(province)))
    out = []
    for etichetta, gruppo in _gruppi_tipo(tipi):
        scelte = righe.filter(pl.col("tipo").is_in(gruppo))
        v0, v1 = (int(scelte.filter(pl.col("anno") == a)[misura].sum()) for a in anni)
        out.append((etichetta, v0, v1))
    return out


def tabella_province(prov: pl.DataFrame, anni: tuple[int, int]) -> pl.DataFrame:
    """The province chart's figures as a table: both years, difference, % change ('n.d.' on a zero base)."""
    return prov.select(
        pl.col("provincia").alias("Provincia"),
        pl.col("prima").alias(str(anni[0])),
        pl.col("dopo").alias(str(anni[1])),
        pl.col("differenza").alias("Differenza"),
        pl.col("variazione").alias("Var. %"),
    )


def tabella_composizione(comp: pl.DataFrame, misura: str) -> pl.DataFrame:
    """The composition chart's figures as a table."""
    return comp.select(
        pl.col("anno").cast(pl.String).alias("Anno"),
        pl.col("tipo").replace_strict({t: v.etichetta for t, v in TIPO.items()}).alias("Tipo di procedura"),
        pl.col("valore").alias(MISURE[misura]),
        (pl.col("quota") * 100).round(1).alias("Quota %"),
    )


def composizione(celle: pl.DataFrame, misura: str, province: Sequence[str]) -> pl.DataFrame:
    """The measure by year and type for the selected provinces, with each type's share of the year."""
    return (
        celle.filter(pl.col("sigla").is_in(list(province)))
        .group_by("anno", "tipo")
        .agg(pl.col(misura).sum().alias("valore"))
        .with_columns(
            pl.when(pl.col("valore").sum().over("anno") > 0)
            .then(pl.col("valore") / pl.col("valore").sum().over("anno"))
            .otherwise(0.0)
            .alias("quota")
        )
        .sort("anno", "tipo")
    )


STILE_TABELLA = """
<style>
.scorri-tabella { overflow-x: auto; }
.tabella-confronto { border-collapse: collapse; width: 100%; font-size: 1rem; font-variant-numeric: tabular-nums; }
.tabella-confronto caption { caption-side: top; text-align: left; font-weight: 600; font-size: 1.15rem;
  padding: 0 0 0.4rem 0; color: #1B1F1C; }
.tabella-confronto th, .tabella-confronto td { padding: 0.25rem 0.45rem; border-bottom: 1px solid #D9D9D9; }
.tabella-confronto abbr { text-decoration: none; }
.tabella-confronto thead th { background: #F2F5F3; font-weight: 600; text-align: center; vertical-align: bottom;
  border-bottom: 2px solid #8C8C8C; line-height: 1.2; }
.tabella-confronto thead th.gruppo { border-left: 2px solid #FFFFFF; }
.tabella-confronto thead th small { display: block; font-weight: 400; color: #444; }
.tabella-confronto tbody th { text-align: left; font-weight: 600; white-space: nowrap; }
.tabella-confronto td { text-align: right; white-space: nowrap; }
.tabella-confronto td.inizio { border-left: 1px solid #BFBFBF; }
.tabella-confronto tr.tot th, .tabella-confronto tr.tot td { font-weight: 700; border-top: 2px solid #1B1F1C;
  background: #F7F7F7; }
.tabella-confronto td.vuota { position: relative; }
.tabella-confronto td.vuota::after { content: "*"; position: absolute; right: 0.1rem; top: 0.15rem; }
</style>
"""


# Short headers where the comparison table is narrow; the full word stays for screen readers.
ABBREVIAZIONI = {"Differenza": "Diff."}


def _intestazione(testo: str) -> str:
    breve = ABBREVIAZIONI.get(testo)
    return f'<abbr title="{html.escape(testo)}">{html.escape(breve)}</abbr>' if breve else html.escape(testo)


def html_tabella(
    testo: pl.DataFrame,
    *,
    didascalia: str,
    totali: Collection[str] = (TOT, SELEZIONE, TOT_CONFRONTO, SELEZIONE_CONFRONTO),
    note_gruppo: Mapping[str, str] | None = None,
    segnate: Collection[tuple[str, str]] = (),
) -> str:
    """A text table as an accessible HTML table with grouped headers ('Gruppo · Colonna'), like the published one."""
    e = html.escape
    note_gruppo = note_gruppo or {}
    colonne = testo.columns
    gruppi: list[tuple[str, int]] = []
    for nome in colonne[1:]:
        gruppo = nome.rsplit(SEP, 1)[0] if SEP in nome else nome
        if gruppi and gruppi[-1][0] == gruppo and SEP in nome:
            gruppi[-1] = (gruppo, gruppi[-1][1] + 1)
        else:
            gruppi.append((gruppo, 1))
    alto = [f'<th scope="col" rowspan="2">{e(colonne[0])}</th>']
    for gruppo, n in gruppi:
        nota = f"<small>{e(note_gruppo[gruppo])}</small>" if gruppo in note_gruppo else ""
        if n == 1 and f"{gruppo}" in colonne:
            alto.append(f'<th scope="col" rowspan="2" class="gruppo">{e(gruppo)}{nota}</th>')
        else:
            alto.append(f'<th scope="colgroup" colspan="{n}" class="gruppo">{e(gruppo)}{nota}</th>')
    basso = [f'<th scope="col">{_intestazione(n.rsplit(SEP, 1)[1])}</th>' for n in colonne[1:] if SEP in n]
    corpo = []
    for riga in testo.iter_rows(named=True):
        etichetta = riga[colonne[0]]
        celle = [f'<th scope="row">{e(etichetta)}</th>']
        precedente = None
        for nome in colonne[1:]:
            classi = []
            gruppo = nome.rsplit(SEP, 1)[0] if SEP in nome else nome
            if gruppo != precedente:
                classi.append("inizio")
            precedente = gruppo
            valore = riga[nome]
            if (etichetta, nome) in segnate:
                classi.append("vuota")
            attr = f' class="{" ".join(c for c in classi if c)}"' if any(classi) else ""
            celle.append(f"<td{attr}>{e(valore)}</td>")
        classe = ' class="tot"' if etichetta in totali else ""
        corpo.append(f"<tr{classe}>{''.join(celle)}</tr>")
    return (
        f'{STILE_TABELLA}<div class="scorri-tabella" tabindex="0" role="region" aria-label="{e(didascalia)}">'
        '<table class="tabella-confronto">'
        f"<caption>{e(didascalia)}</caption>"
        f"<thead><tr>{''.join(alto)}</tr><tr>{''.join(basso)}</tr></thead>"
        f"<tbody>{''.join(corpo)}</tbody></table></div>"
    )
