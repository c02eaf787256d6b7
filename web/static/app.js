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
    el.textContent = document.documentElement.lang === "hi" ? "आरेख नहीं दिखाया जा सका।" : "The diagram could not be shown.";
  }
});

// Keeping what was typed (D49). A form marked data-keep="<user>" is copied into this tab's
// sessionStorage when it is sent. If the answer is a page that refuses it (the sign-in page after
// the session ended, a "not sent" page for a file too large, an error page: each carries
// <meta name="odop-keep-typed">), the copy stays until the same user opens the same form again,
// which fills it in; any other page (the form was accepted) forgets it. Files cannot be kept.
(() => {
  const KEY = "odop-kept-form";
  const MAX_AGE_MS = 8 * 3600 * 1000;
  const skip = new Set(["file", "password", "hidden", "submit", "button", "reset"]);
  // data-no-keep: an Aadhaar number is not copied into the browser's storage (D70).
  const fields = (form) => [...form.elements].filter((el) => el.name && !skip.has(el.type) && !("noKeep" in el.dataset));
  const read = () => {
    try { return JSON.parse(sessionStorage.getItem(KEY) || "null"); } catch (e) { return null; }
  };
  const forget = () => sessionStorage.removeItem(KEY);
  // getAttribute: form.action would be a field named "action" (the submit buttons are).
  const actionOf = (form) => new URL(form.getAttribute("action") || location.href, location.href).pathname;

  const tooLarge = (input) => [...(input.files || [])].some((f) => f.size > Number(input.dataset.maxBytes));
  const showSize = (input) => {
    const note = document.getElementById(input.getAttribute("aria-describedby") || "");
    const big = tooLarge(input);
    input.setCustomValidity(big ? input.dataset.tooLarge : "");
    if (note) { note.hidden = !big; note.textContent = big ? input.dataset.tooLarge : ""; }
    return big;
  };
  // Files are checked here before they are sent (the server checks again).
  document.addEventListener("change", (event) => {
    if (event.target.matches("input[type=file][data-max-bytes]")) showSize(event.target);
  });

  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (actionOf(form) === "/sign-out") { forget(); return; }
    const big = [...form.querySelectorAll("input[type=file][data-max-bytes]")].filter(showSize);
    if (big.length) { event.preventDefault(); big[0].focus(); return; }
    if (!form.matches("form[data-keep]")) return;
    const values = fields(form).map((el) => [el.name, el.type === "checkbox" || el.type === "radio" ? el.checked : el.value]);
    sessionStorage.setItem(KEY, JSON.stringify({
      page: location.pathname, action: actionOf(form), owner: form.dataset.keep, at: Date.now(), values,
    }));
  });

  const kept = read();
  if (!kept) return;
  const form = [...document.querySelectorAll("form[data-keep]")].find((f) => actionOf(f) === kept.action);
  const usable = form && kept.page === location.pathname && kept.owner === form.dataset.keep && Date.now() - kept.at < MAX_AGE_MS;
  if (!usable) {
    if (!document.querySelector('meta[name="odop-keep-typed"]')) forget();
    return;
  }
  forget();
  let changed = 0;
  const seen = {};
  const byName = {};
  for (const el of fields(form)) (byName[el.name] = byName[el.name] || []).push(el);
  for (const [name, value] of kept.values) {
    const i = seen[name] || 0;
    seen[name] = i + 1;
    const el = (byName[name] || [])[i];
    if (!el) continue;
    if (el.type === "checkbox" || el.type === "radio") {
      if (el.checked !== value) { el.checked = value; changed += 1; }
    } else if (el.value !== value) {
      el.value = value;
      changed += 1;
    }
  }
  if (changed) {
    const note = document.createElement("p");
    note.className = "flash";
    note.setAttribute("role", "status");
    note.dataset.keptNote = "1";
    note.textContent = document.documentElement.lang === "hi"
      ? "आपने जो भरा था वह फिर से भर दिया गया है; फ़ाइलें दोबारा चुनें।"
      : "What you typed before has been filled in again; choose any files again.";
    form.before(note);
  }
  form.dataset.restored = String(changed);
})();
// The task page: a step's decision form belongs to an approval; returning or rejecting needs
// remarks only, so the form is disabled then (and the browser does not ask for its fields).
document.addEventListener("change", (event) => {
  if (event.target.name !== "outcome") return;
  const form = event.target.closest("form").querySelector("[data-form-for]");
  if (form) form.disabled = ["return", "reject"].includes(event.target.value);
});

// The apply page: a checklist document required only for some answers (`field == "value"`,
// `field in ("a", "b")`: the values joined with "|").
// Nothing moves when a field's change (fired as it loses focus, e.g. to a click on Submit)
// updates the checklist: the mark keeps its place (visibility, not display), and only an actual
// change is written, so the Submit button stays under the pointer and one click sends the form.
const checklistRequirements = () => {
  for (const input of document.querySelectorAll("input[data-required-when-field]")) {
    const chosen = document.querySelector(`[name="${input.dataset.requiredWhenField}"]:checked, select[name="${input.dataset.requiredWhenField}"]`);
    const required = !!chosen && input.dataset.requiredWhenValue.split("|").includes(chosen.value);
    if (input.required !== required) input.required = required;
    const mark = input.closest("li")?.querySelector("[data-required-mark]");
    if (mark) mark.classList.toggle("mark-off", !required);
  }
};
document.addEventListener("change", checklistRequirements);
document.addEventListener("DOMContentLoaded", checklistRequirements);

// One click submits (D92). A field's change, fired as it loses focus to the press on a submit
// button, can move the page (a re-layout, a scroll) before the button is released; the browser then
// gives the click to whatever is under the pointer now, and the form is not sent. A press on a
// submit button that moved before its release therefore sends the form with that button. A button
// that did not move and was released elsewhere is a press taken back, as usual.
(() => {
  let pressed = null;
  const submitter = (target) => target.closest && target.closest("button[type=submit], input[type=submit]");
  document.addEventListener("pointerdown", (event) => {
    const button = submitter(event.target);
    pressed = button && button.form ? { button, at: button.getBoundingClientRect() } : null;
  }, true);
  document.addEventListener("pointerup", (event) => {
    const press = pressed;
    pressed = null;
    if (!press || submitter(event.target) === press.button) return;
    const now = press.button.getBoundingClientRect();
    if (Math.abs(now.top - press.at.top) < 1 && Math.abs(now.left - press.at.left) < 1) return;
    press.button.form.requestSubmit(press.button);
  }, true);
})();
