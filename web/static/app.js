// Small enhancements only: every page works without JavaScript.
document.addEventListener("change", (event) => {
  const all = event.target.closest("[data-select-all]");
  if (!all) return;
  for (const box of all.closest("form").querySelectorAll('input[name="task_id"]')) box.checked = all.checked;
});

// Shows the BPMN file at `el.dataset.url` in `el`, fitted, and returns the viewer (bpmn-js, served
// locally; the page loads the viewer bundle). Every page with a diagram uses this.
window.showDiagram = async (el) => {
  const viewer = new window.BpmnJS({ container: el });
  const xml = await (await fetch(el.dataset.url, { credentials: "same-origin" })).text();
  await viewer.importXML(xml);
  viewer.get("canvas").zoom("fit-viewport");
  return viewer;
};

// The process diagram with completed and current steps marked.
window.addEventListener("load", async () => {
  const el = document.getElementById("diagram");
  if (!el || !window.BpmnJS) return;
  try {
    const canvas = (await window.showDiagram(el)).get("canvas");
    const mark = (ids, cls) => ids.split(",").filter(Boolean).forEach((id) => {
      try { canvas.addMarker(id, cls); } catch (e) { /* a step of another version */ }
    });
    mark(el.dataset.completed, "step-done");
    mark(el.dataset.current, "step-current");
    el.dataset.ready = "1";
  } catch (err) {
    el.textContent = "The diagram could not be shown.";
  }
});

// The task page: a step's decision form belongs to an approval; returning or rejecting needs
// remarks only, so the form is disabled then (and the browser does not ask for its fields).
document.addEventListener("change", (event) => {
  if (event.target.name !== "outcome") return;
  const form = event.target.closest("form").querySelector("[data-form-for]");
  if (form) form.disabled = ["return", "reject"].includes(event.target.value);
});

// The apply page: a checklist document required only for some answers (`field == "value"`).
const checklistRequirements = () => {
  for (const input of document.querySelectorAll("input[data-required-when-field]")) {
    const chosen = document.querySelector(`[name="${input.dataset.requiredWhenField}"]:checked, select[name="${input.dataset.requiredWhenField}"]`);
    input.required = !!chosen && chosen.value === input.dataset.requiredWhenValue;
    const mark = input.closest("li")?.querySelector("[data-required-mark]");
    if (mark) mark.hidden = !input.required;
  }
};
document.addEventListener("change", checklistRequirements);
document.addEventListener("DOMContentLoaded", checklistRequirements);
