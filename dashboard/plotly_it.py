"""Plotly's Italian locale (modebar, tooltips, dates, separators), handed to each chart in its config.

Dictionary and formats from plotly.js's own Italian locale (package `plotly.js-locales`, file `it.js`, MIT
licence, Copyright Plotly Technologies Inc.), limited to what a 2D chart shows; plus the fullscreen buttons that
Streamlit adds to the modebar, which plotly translates through the same dictionary.
"""

from __future__ import annotations

PLOTLY_IT: dict[str, object] = {
    "dictionary": {
        "Autoscale": "Scala automaticamente",
        "Box Select": "Selezione box",
        "Compare data on hover": "Compara i dati al passaggio del mouse",
        "Double-click on legend to isolate one trace": "Doppio click per isolare i dati di una traccia",
        "Double-click to zoom back out": "Doppio click per tornare allo zoom iniziale",
        "Download plot as a PNG": "Scarica il grafico come immagine PNG",
        "Download plot as a png": "Scarica il grafico come immagine PNG",
        "Download plot": "Scarica il grafico",
        "Lasso Select": "Selezione lazo",
        "Pan": "Sposta",
        "Produced with Plotly.js": "Creato con Plotly.js",
        "Reset": "Reset",
        "Reset axes": "Reimposta gli assi",
        "Reset view": "Reimposta la vista",
        "Reset views": "Reimposta le viste",
        "Show closest data on hover": "Mostra i dati più vicini al passaggio del mouse",
        "Snapshot succeeded": "Screenshot creato con successo",
        "Sorry, there was a problem downloading your snapshot!": (
            "Si è verificato un errore durante la creazione dello screenshot"
        ),
        "Taking snapshot - this may take a few seconds": "Creazione screenshot - potrebbe richiedere qualche secondo",
        "Toggle Spike Lines": "Abilita linee di identificazione",
        "Toggle show closest data on hover": "Abilita mostra i dati più vicini al passaggio del mouse",
        "Zoom": "Zoom",
        "Zoom in": "Ingrandisci",
        "Zoom out": "Riduci",
        "trace": "traccia",
        "Fullscreen": "Schermo intero",
        "Close fullscreen": "Chiudi schermo intero",
    },
    "format": {
        "days": ["Domenica", "Lunedì", "Martedì", "Mercoledì", "Giovedì", "Venerdì", "Sabato"],
        "shortDays": ["Dom", "Lun", "Mar", "Mer", "Gio", "Ven", "Sab"],
        "months": [
            "Gennaio",
            "Febbraio",
            "Marzo",
            "Aprile",
            "Maggio",
            "Giugno",
            "Luglio",
            "Agosto",
            "Settembre",
            "Ottobre",
            "Novembre",
            "Dicembre",
        ],
        "shortMonths": ["Gen", "Feb", "Mar", "Apr", "Mag", "Giu", "Lug", "Ago", "Set", "Ott", "Nov", "Dic"],
        "date": "%d/%m/%Y",
        "decimal": ",",
        "thousands": ".",
    },
}
