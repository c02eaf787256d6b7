// A deployed version's diagram (bpmn-js viewer, served locally); when two versions are compared,
// the old one marks what was removed and changed, the new one what was added and changed.
window.addEventListener("load", async () => {
  const data = document.getElementById("diff-data");
  const diff = data ? JSON.parse(data.textContent) : null;
  for (const el of document.querySelectorAll(".flow-diagram")) {
    try {
      const viewer = await window.showDiagram(el);
      const canvas = viewer.get("canvas");
      const registry = viewer.get("elementRegistry");
      if (diff) {
        const marks = el.dataset.side === "old" ? { removed: diff.removed, changed: diff.changed } : { added: diff.added, changed: diff.changed };
        for (const [marker, ids] of Object.entries(marks)) {
          for (const id of ids) if (registry.get(id)) canvas.addMarker(id, `diff-${marker}`);
        }
      }
      el.dataset.ready = "1";
    } catch (err) {
      el.textContent = (document.documentElement.lang === "hi" ? "आरेख नहीं दिखाया जा सका: " : "The diagram could not be shown: ") + err.message;
      el.dataset.ready = "error";
    }
  }
});
