"""A tiny hand-made database for the quarterly monitoring: two Nuclei, a few workers, submissions of every kind.

Microdata (data date 15/09/2025):
- Bergamo, P-BG (CIGS ministeriale): 6 taken in charge in T1 who reach PAL in T2 (3 Dote Unica Lavoro, 2 GOL,
  1 Formazione Continua), 2 taken in charge and exempted in T1, 2 taken in charge in T2; P-BG2: 3 taken in charge
  in T1; P-LIC: a collective dismissal (not monitored).
- Lecco, P-LC: 6 taken in charge in T1, 4 of them with PAL (Dote Unica Lavoro) in T1.
Submissions:
- BG T1, sent 20/04/2025 (on time), agrees on P-BG but leaves out P-BG2;
- BG T2, sent 15/08/2025 (16 days late): GOL +2 (within the tolerance), Dote Unica Lavoro +3, plus an unknown
  procedure and the collective dismissal;
- LC T1, sent 10/04/2025 with Dote Unica Lavoro 5, resent 25/04/2025 with 4 (the resend becomes current);
- LC T2 never sent (missing), T3 not over yet.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

AL = date(2025, 9, 15)
INTESTAZIONE_MONITORAGGIO = (
    "sigla_provincia;anno;trimestre;codice_procedura;presi_in_carico;pal_dote_unica_lavoro;pal_formazione_continua;"
    "pal_gol;pal_azioni_di_rete;pal_altre_misure;esonerati;data_invio;note"
)

FILE_BASE = {
    "aziende.csv": ["codice_azienda;ragione_sociale;ateco_codice;ateco_descrizione", "AZ1;Meccanica Prova S.r.l.;28;"
                    "Fabbricazione di macchinari"],
    "unita_produttive.csv": ["codice_unita;codice_azienda;codice_comune", "U-BG;AZ1;016024", "U-LC;AZ1;097042"],
    "procedure.csv": [
        "codice_procedura;codice_azienda;tipo;linea_guida;anno;data_inizio;data_fine;stato",
        "P-BG;AZ1;CIGS_MIN;A;2025;10/01/2025;;in corso",
        "P-BG2;AZ1;CIGS_MIN;A;2025;01/03/2025;;in corso",
        "P-LC;AZ1;CIGS_MIN;A;2025;01/02/2025;;in corso",
        "P-LIC;AZ1;LIC;D;2025;15/01/2025;;in corso",
    ],
    "procedure_unita.csv": [
        "codice_procedura;codice_unita;lavoratori",
        "P-BG;U-BG;10", "P-BG2;U-BG;3", "P-LC;U-LC;6", "P-LIC;U-BG;4",
    ],
}  # fmt: skip


def _lavoratori() -> list[str]:
    righe = ["id_lavoratore;codice_procedura;codice_unita;data_step1;data_step2;data_step3;data_step4;data_esonero;"
             "misura_pal"]  # fmt: skip
    misure = ["Dote Unica Lavoro"] * 3 + ["GOL"] * 2 + ["Formazione Continua"]
    for n, misura in enumerate(misure, start=1):
        righe.append(f"W{n:02d};P-BG;U-BG;10/02/2025;20/02/2025;05/03/2025;15/04/2025;;{misura}")
    righe += ["W07;P-BG;U-BG;01/03/2025;;;;20/03/2025;", "W08;P-BG;U-BG;01/03/2025;;;;20/03/2025;"]
    righe += ["W09;P-BG;U-BG;02/05/2025;;;;;", "W10;P-BG;U-BG;02/05/2025;;;;;"]
    for n in range(11, 15):
        righe.append(f"W{n};P-LC;U-LC;15/02/2025;20/02/2025;01/03/2025;25/03/2025;;Dote Unica Lavoro")
    righe += ["W15;P-LC;U-LC;15/02/2025;;;;;", "W16;P-LC;U-LC;15/02/2025;;;;;"]
    righe += [f"W{n};P-BG2;U-BG;10/03/2025;;;;;" for n in range(17, 20)]
    return righe


INVIO_BG_T1 = ["BG;2025;1;P-BG;8;0;0;0;0;0;2;20/04/2025;"]
INVIO_BG_T2 = [
    "BG;2025;2;P-BG;2;6;1;4;0;0;0;15/08/2025;",
    "BG;2025;2;P-XX-404;5;0;0;0;0;0;0;15/08/2025;codice non in VertenzeOnline",
    "BG;2025;2;P-LIC;3;0;0;0;0;0;0;15/08/2025;",
]
INVIO_LC_T1 = ["LC;2025;1;P-LC;6;5;0;0;0;0;0;10/04/2025;primo invio"]
RETTIFICA_LC_T1 = ["LC;2025;1;P-LC;6;4;0;0;0;0;0;25/04/2025;rettifica"]


def scrivi(percorso: Path, righe: list[str]) -> Path:
    """A CSV for Italian Excel."""
    percorso.parent.mkdir(parents=True, exist_ok=True)
    percorso.write_text("\n".join(righe) + "\n", encoding="utf-8-sig")
    return percorso


def invio(cartella: Path, nome: str, righe: list[str]) -> Path:
    """A monitoring file as a Nucleo sends it."""
    return scrivi(cartella / nome, [INTESTAZIONE_MONITORAGGIO, *righe])


def cartelle(radice: Path) -> tuple[Path, Path]:
    """The first load (microdata and first submissions) and the second (the Lecco resend)."""
    primo = radice / "primo"
    for nome, righe in FILE_BASE.items():
        scrivi(primo / nome, righe)
    scrivi(primo / "lavoratori.csv", _lavoratori())
    invio(primo, "monitoraggio_pal_BG_2025_T1.csv", INVIO_BG_T1)
    invio(primo, "monitoraggio_pal_BG_2025_T2.csv", INVIO_BG_T2)
    invio(primo, "monitoraggio_pal_LC_2025_T1.csv", INVIO_LC_T1)
    secondo = radice / "secondo"
    invio(secondo, "monitoraggio_pal_LC_2025_T1.csv", RETTIFICA_LC_T1)
    return primo, secondo
