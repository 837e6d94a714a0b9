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
      bottone.blur();
    }
  });
  // A slide turned with the mouse or the clicker keeps no focus frame on the button.
  document.addEventListener("click", (e) => {
    const bottone = e.target instanceof Element && e.target.closest(".st-key-tavolo_nav button");
    if (bottone) setTimeout(() => bottone.blur(), 0);
  });
}
</script>
