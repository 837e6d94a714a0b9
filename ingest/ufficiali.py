"""The Region's published tables (seed 001, "Casi gestiti in forma coordinata"): the demo data's targets."""

from __future__ import annotations

from data_access.tabelle_pubblicate import ORDINE_TIPI, TABELLE, obiettivi  # noqa: F401  (the demo's targets)

# Step model, 2025 CIGS ministeriali (seed 001): 4.377 workers, about 51% reached PAL activation.
COORTE_STEP_2025 = 4377
STEP4_2025 = 2232  # 51,0% of 4.377, within the published "51% circa"
TAVOLI_2025 = {"regionale": 4, "bilaterale": 21}
OPERATORI_CATALOGO_LECCO = 18
