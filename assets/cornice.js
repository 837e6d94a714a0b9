<div class="cornice-js"></div>
<script>
// The frame in Italian: the fullscreen buttons Streamlit adds to every chart's modebar and the labels of the
// multiple choices carry English text that neither Plotly's locale nor a setting translates; rename them as
// they appear.
if (!window.__corniceItaliana) {
  window.__corniceItaliana = true;
  const frasi = {
    "Fullscreen": "Schermo intero", "Close fullscreen": "Chiudi schermo intero",
    "Clear all": "Togli tutte le scelte", "Selected values": "Valori scelti",
  };
  const prefissi = { "Remove ": "Togli ", "Fullscreen: ": "Schermo intero: ", "Close fullscreen: ": "Chiudi schermo intero: " };
  const italiano = (testo) => {
    if (!testo) return null;
    if (frasi[testo]) return frasi[testo];
    const prefisso = Object.keys(prefissi).find((p) => testo.startsWith(p));
    return prefisso ? prefissi[prefisso] + testo.slice(prefisso.length) : null;
  };
  const traduci = (radice) => {
    for (const el of radice.querySelectorAll(".modebar-btn[data-title], [data-testid='stMultiSelect'] [aria-label], [data-testid='stBaseButton-elementToolbar']")) {
      for (const nome of ["data-title", "aria-label"]) {
        const it = el.hasAttribute(nome) && italiano(el.getAttribute(nome));
        if (it) el.setAttribute(nome, it);
      }
    }
  };
  new MutationObserver(() => traduci(document)).observe(document.body, {
    childList: true, subtree: true, attributes: true, attributeFilter: ["aria-label", "data-title"],
  });
  traduci(document);
}
</script>
