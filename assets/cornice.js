<div class="cornice-js"></div>
<script>
// The frame in Italian: Streamlit's shell, its widgets and the chart frames carry English labels (buttons'
// names, tooltips, placeholders, the skip link, the date picker) that no setting translates. Screen readers
// announce them as much as the eye reads them, so they are renamed as they appear, attributes and texts alike.
if (!window.__corniceItaliana) {
  window.__corniceItaliana = true;
  const frasi = {
    "Fullscreen": "Schermo intero", "Close fullscreen": "Chiudi schermo intero",
    "Clear all": "Togli tutte le scelte", "Selected values": "Valori scelti",
    "Choose an option": "Scegli", "Choose options": "Scegli", "No results": "Nessun risultato",
    "Skip to main content": "Vai al contenuto principale", "Main menu": "Menu principale",
    "App pages": "Pagine del cruscotto", "Sidebar": "Barra laterale",
    "Collapse sidebar": "Chiudi la barra laterale", "Expand sidebar": "Apri la barra laterale",
    "Navigate to home page": "Vai alla pagina iniziale", "Link to heading": "Collegamento a questo titolo",
    "Open": "Apri", "Close": "Chiudi", "Copy to clipboard": "Copia negli appunti",
    "Choose date": "Scegli la data", "Choose a date": "Scegli la data", "Choose date range": "Scegli il periodo", "Logo": "Logo del cruscotto",
    "Running...": "Aggiornamento in corso", "Stop": "Interrompi", "Search": "Cerca",
    "Previous month": "Mese precedente", "Next month": "Mese successivo", "Month": "Mese", "Year": "Anno",
    "Show password text": "Mostra la password", "Hide password text": "Nascondi la password",
    "Increment": "Aumenta", "Decrement": "Diminuisci",
  };
  const prefissi = {
    "Remove ": "Togli ", "Fullscreen: ": "Schermo intero: ", "Close fullscreen: ": "Chiudi schermo intero: ",
    "Help for ": "Aiuto: ", "day, ": "giorno, ", "month, ": "mese, ", "year, ": "anno, ",
  };
  const suffissi = { " start date": ", inizio", " end date": ", fine" };
  const mesi = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
    "November", "December"];
  const mesiIt = ["gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre",
    "ottobre", "novembre", "dicembre"];
  const nomeMese = new RegExp("\\b(" + mesi.join("|") + ")\\b");
  const italiano = (testo) => {
    if (!testo) return null;
    if (frasi[testo]) return frasi[testo];
    const prefisso = Object.keys(prefissi).find((p) => testo.startsWith(p));
    if (prefisso) return prefissi[prefisso] + (italiano(testo.slice(prefisso.length)) || testo.slice(prefisso.length));
    const suffisso = Object.keys(suffissi).find((s) => testo.endsWith(s));
    if (suffisso) return testo.slice(0, -suffisso.length) + suffissi[suffisso];
    const mese = testo.match(nomeMese);
    return mese ? testo.replace(nomeMese, mesiIt[mesi.indexOf(mese[1])]) : null;
  };
  const attributi = ["data-title", "aria-label", "title", "placeholder", "alt", "aria-valuetext"];
  const selettore = attributi.map((a) => `[${a}]`).join(", ");
  // Texts of the frame, not of the app: the app's own words are Italian and are never rewritten.
  const testi = "[data-testid='stSkipToContent'], [data-testid='stSidebarNavSeparator'] span, " +
    "[data-testid='stStatusWidget'] button, [data-baseweb='calendar'] *";
  const traduci = () => {
    for (const el of document.querySelectorAll(selettore)) {
      for (const nome of attributi) {
        const it = el.hasAttribute(nome) && italiano(el.getAttribute(nome));
        if (it) el.setAttribute(nome, it);
      }
    }
    for (const el of document.querySelectorAll(testi)) {
      for (const nodo of el.childNodes) {
        const it = nodo.nodeType === 3 && italiano(nodo.textContent.trim());
        if (it) nodo.textContent = it;
      }
    }
  };
  // One pass per frame, whatever the number of changes: Streamlit redraws often.
  let inAttesa = false;
  new MutationObserver(() => {
    if (inAttesa) return;
    inAttesa = true;
    requestAnimationFrame(() => { inAttesa = false; traduci(); });
  }).observe(document.body, {
    childList: true, subtree: true, characterData: true, attributes: true, attributeFilter: attributi,
  });
  traduci();
}
</script>
