<div class="tasti-tavolo"></div>
<script>
// Modalità tavolo: the arrows and Page Up/Down (presenter clickers) turn the slides by clicking the page buttons.
if (!window.__tastiTavolo) {
  window.__tastiTavolo = true;
  document.addEventListener("keydown", (e) => {
    const t = e.target;
    if (e.altKey || e.ctrlKey || e.metaKey || (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName)))) return;
    const chiave = { ArrowRight: "tavolo_succ", PageDown: "tavolo_succ", ArrowLeft: "tavolo_prec", PageUp: "tavolo_prec" }[e.key];
    const bottone = chiave && document.querySelector(`.st-key-${chiave} button`);
    if (bottone && !bottone.disabled) {
      e.preventDefault();
      bottone.click();
    }
  });
}
</script>
