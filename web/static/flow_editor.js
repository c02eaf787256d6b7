// The flow editor: bpmn-js modeler with its properties panel, dmn-js for the benefit tables, and an
// "Approval settings" panel for what the engine reads from the model (lane roles, time limits,
// outcomes, gateway conditions, DMN decisions). Saves drafts, validates and deploys through the API.

// What the engine reads from the spiffworkflow namespace; declared so the modeler keeps and edits it.
const SPIFF = {
  name: "SpiffWorkflow",
  prefix: "spiffworkflow",
  uri: "http://spiffworkflow.org/bpmn/schema/1.0/core",
  xml: { tagAlias: "lowerCase" },
  associations: [],
  types: [
    { name: "Properties", superClass: ["Element"], properties: [{ name: "properties", type: "Property", isMany: true }] },
    { name: "Property", superClass: ["Element"], properties: [
      { name: "name", type: "String", isAttr: true }, { name: "value", type: "String", isAttr: true }] },
    { name: "CalledDecisionId", superClass: ["Element"], properties: [{ name: "value", type: "String", isBody: true }] },
    { name: "PreScript", superClass: ["Element"], properties: [{ name: "value", type: "String", isBody: true }] },
    { name: "PostScript", superClass: ["Element"], properties: [{ name: "value", type: "String", isBody: true }] },
    { name: "InstructionsForEndUser", superClass: ["Element"], properties: [{ name: "value", type: "String", isBody: true }] },
  ],
};

const cfg = JSON.parse(document.getElementById("editor-data").textContent);
const T = cfg.labels;
const editors = {}; // file name -> modeler
let bpmnName = null;

function csrf() {
  return document.querySelector('meta[name="csrf-token"]').content;
}

function status(text, isError) {
  const el = document.getElementById("editor-status");
  el.textContent = text;
  el.className = isError ? "flash error" : "flash";
}

async function call(method, url, body) {
  const response = await fetch(url, {
    method,
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRFToken": csrf(), Accept: "application/json" },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : {} };
}

async function currentFiles() {
  const out = {};
  for (const name of Object.keys(cfg.files)) {
    out[name] = editors[name] ? (await editors[name].saveXML({ format: true })).xml : cfg.files[name];
  }
  return out;
}

// ---- approval settings panel -------------------------------------------------------------------

function extension(bo, type) {
  const values = (bo.extensionElements && bo.extensionElements.values) || [];
  return values.find((v) => v.$type === type);
}

function property(bo, name) {
  const props = extension(bo, "spiffworkflow:Properties");
  const item = props && (props.properties || []).find((p) => p.name === name);
  return item ? item.value || "" : "";
}

function ensureExtension(element, type, attrs) {
  const modeler = editors[bpmnName];
  const moddle = modeler.get("moddle");
  const modeling = modeler.get("modeling");
  const bo = element.businessObject;
  let ext = bo.extensionElements;
  if (!ext) {
    ext = moddle.create("bpmn:ExtensionElements", { values: [] });
    modeling.updateProperties(element, { extensionElements: ext });
  }
  let found = extension(bo, type);
  if (!found) {
    found = moddle.create(type, attrs);
    found.$parent = ext;
    modeling.updateModdleProperties(element, ext, { values: [...(ext.values || []), found] });
  }
  return found;
}

function setProperty(element, name, value) {
  const modeler = editors[bpmnName];
  const modeling = modeler.get("modeling");
  const props = ensureExtension(element, "spiffworkflow:Properties", { properties: [] });
  const items = props.properties || [];
  const item = items.find((p) => p.name === name);
  if (!value) {
    if (item) modeling.updateModdleProperties(element, props, { properties: items.filter((p) => p !== item) });
  } else if (item) {
    modeling.updateModdleProperties(element, item, { value });
  } else {
    const created = modeler.get("moddle").create("spiffworkflow:Property", { name, value });
    created.$parent = props;
    modeling.updateModdleProperties(element, props, { properties: [...items, created] });
  }
}

function laneOf(element) {
  const registry = editors[bpmnName].get("elementRegistry");
  const lane = registry.filter((e) => e.type === "bpmn:Lane")
    .find((l) => (l.businessObject.flowNodeRef || []).includes(element.businessObject));
  return lane ? lane.businessObject.name || "" : null;
}

function field(label, input) {
  const p = document.createElement("p");
  const l = document.createElement("label");
  l.textContent = label;
  l.htmlFor = input.id;
  p.append(l, input);
  return p;
}

// Set while this panel changes the model, so that the change does not redraw the panel under the
// user's hands (the field they move to would be replaced and their typing lost).
let editingFromPanel = false;

function fromPanel(change) {
  editingFromPanel = true;
  try {
    change();
  } finally {
    editingFromPanel = false;
  }
}

function input(id, value, onChange, type = "text") {
  const el = document.createElement(type === "textarea" ? "textarea" : "input");
  if (type !== "textarea") el.type = type;
  el.id = id;
  el.value = value;
  el.addEventListener("change", () => fromPanel(() => onChange(el.value.trim())));
  return el;
}

function renderSettings(selected) {
  const element = selected && selected.labelTarget ? selected.labelTarget : selected; // a label stands for its element
  const panel = document.getElementById("odop-settings");
  panel.replaceChildren();
  const heading = document.createElement("h3");
  heading.textContent = T.settings;
  panel.append(heading);
  if (!element) {
    panel.append(Object.assign(document.createElement("p"), { textContent: T.select }));
    return;
  }
  const modeling = editors[bpmnName].get("modeling");
  const moddle = editors[bpmnName].get("moddle");
  const bo = element.businessObject;
  const title = Object.assign(document.createElement("p"), { textContent: `${bo.name || ""} (${bo.id})` });
  panel.append(title);
  if (element.type === "bpmn:UserTask") {
    const lane = laneOf(element);
    panel.append(Object.assign(document.createElement("p"), {
      textContent: lane === null ? T.noLane : `${T.lane}: ${lane}`,
      className: lane && cfg.roles.includes(lane) ? "" : "error",
    }));
    panel.append(field(T.timeLimit, input("odop-time-limit", property(bo, "time_limit_days"),
      (v) => setProperty(element, "time_limit_days", v), "number")));
    panel.append(field(T.outcomes, input("odop-outcomes", property(bo, "outcomes"),
      (v) => setProperty(element, "outcomes", v.split(",").map((s) => s.trim()).filter(Boolean).join(",")))));
  } else if (element.type === "bpmn:Lane") {
    const select = document.createElement("select");
    select.id = "odop-lane-role";
    for (const role of ["", ...cfg.roles]) {
      select.append(new Option(role || "—", role, false, role === (bo.name || "")));
    }
    select.addEventListener("change", () => {
      fromPanel(() => modeling.updateProperties(element, { name: select.value }));
      title.textContent = `${select.value} (${bo.id})`;
    });
    panel.append(field(T.role, select));
  } else if (element.type === "bpmn:SequenceFlow" && element.source && element.source.type === "bpmn:ExclusiveGateway") {
    const condition = bo.conditionExpression ? bo.conditionExpression.body || "" : "";
    panel.append(field(T.condition, input("odop-condition", condition, (v) => modeling.updateProperties(element, {
      conditionExpression: v ? moddle.create("bpmn:FormalExpression", { body: v }) : undefined,
    }), "textarea")));
    const box = document.createElement("input");
    box.type = "checkbox";
    box.id = "odop-default";
    box.checked = element.source.businessObject.default === bo;
    box.addEventListener("change", () => fromPanel(() => modeling.updateProperties(element.source, { default: box.checked ? bo : undefined })));
    panel.append(field(T.isDefault, box));
  } else if (element.type === "bpmn:BusinessRuleTask") {
    const called = extension(bo, "spiffworkflow:CalledDecisionId");
    panel.append(field(T.decision, input("odop-decision", called ? called.value || "" : "", (v) => {
      const el = ensureExtension(element, "spiffworkflow:CalledDecisionId", { value: v });
      modeling.updateModdleProperties(element, el, { value: v });
    })));
  } else {
    panel.append(Object.assign(document.createElement("p"), { textContent: T.nothing }));
  }
}

// ---- problems ----------------------------------------------------------------------------------

let marked = [];

function showProblems(problems) {
  const list = document.getElementById("problems");
  list.replaceChildren();
  const modeler = editors[bpmnName];
  const canvas = modeler.get("canvas");
  const registry = modeler.get("elementRegistry");
  for (const id of marked) if (registry.get(id)) canvas.removeMarker(id, "problem-element");
  marked = [];
  for (const p of problems) {
    const li = document.createElement("li");
    const where = [p.file, p.element_name && `'${p.element_name}'`, p.element_id && `(${p.element_id})`].filter(Boolean).join(" ");
    li.textContent = where ? `${where}: ${p.message}` : p.message;
    li.tabIndex = 0;
    if (p.element_id && registry.get(p.element_id)) {
      canvas.addMarker(p.element_id, "problem-element");
      marked.push(p.element_id);
      const go = () => {
        openTab(bpmnName);
        const el = registry.get(p.element_id);
        modeler.get("selection").select(el);
        canvas.scrollToElement(el);
      };
      li.addEventListener("click", go);
      li.addEventListener("keydown", (e) => { if (e.key === "Enter") go(); });
    }
    list.append(li);
  }
  document.getElementById("problems-heading").hidden = problems.length === 0;
}

async function validate() {
  const { status: code, body } = await call("POST", cfg.api.validate, { files: await currentFiles() });
  if (code !== 200) return status(body.error ? body.error.message : T.failed, true);
  showProblems(body.problems);
  status(body.valid ? T.valid : (body.problems.length === 1 ? T.invalid_one : T.invalid).replace("{n}", body.problems.length), !body.valid);
  return body.valid;
}

async function saveDraft() {
  const { status: code, body } = await call("PUT", cfg.api.draft, { files: await currentFiles(), based_on: cfg.based_on });
  if (code === 204) return status(T.saved);
  if (body.error && body.error.problems) showProblems(body.error.problems);
  status(body.error ? body.error.message : T.failed, true);
}

async function deploy() {
  const comment = document.getElementById("deploy-comment").value.trim();
  if (!comment) {
    document.getElementById("deploy-comment").focus();
    return status(T.needComment, true);
  }
  const files = await currentFiles();
  let { status: code, body } = await call("POST", cfg.api.deploy, { files, comment });
  // 409 replace_not_confirmed: the files share no step with the deployed process; ask, then resend.
  if (code === 409 && body.error && body.error.code === "replace_not_confirmed") {
    if (!window.confirm(`${body.error.message}\n\n${T.confirmReplace}`)) return status(body.error.message, true);
    ({ status: code, body } = await call("POST", cfg.api.deploy, { files, comment, confirm_replace: true }));
  }
  if (code === 201) {
    showProblems([]);
    const v = body.definition.version;
    status(body.created ? T.deployed.replace("{v}", v) : T.unchanged.replace("{v}", v));
    document.getElementById("after-deploy").hidden = false;
    return;
  }
  if (body.error && body.error.problems) showProblems(body.error.problems);
  status(body.error ? body.error.message : T.failed, true);
}

// ---- tabs and editors --------------------------------------------------------------------------

async function openTab(name) {
  for (const tab of document.querySelectorAll(".editor-tabs button")) {
    tab.setAttribute("aria-selected", String(tab.dataset.file === name));
  }
  for (const panel of document.querySelectorAll(".editor-file")) panel.hidden = panel.dataset.file !== name;
  if (!editors[name] && name.endsWith(".dmn")) {
    // No input debouncing: an edit made just before Deploy must be in the exported file.
    const dmn = new window.DmnJS({
      container: document.querySelector(`.editor-file[data-file="${CSS.escape(name)}"] .dmn-canvas`),
      common: { debounceInput: false },
    });
    editors[name] = dmn;
    await dmn.importXML(cfg.files[name]);
    const table = dmn.getViews().find((v) => v.type === "decisionTable");
    if (table) await dmn.open(table);
  }
}

window.addEventListener("load", async () => {
  bpmnName = Object.keys(cfg.files).find((n) => n.endsWith(".bpmn"));
  const panel = document.querySelector(`.editor-file[data-file="${CSS.escape(bpmnName)}"]`);
  const modeler = new window.BpmnJS({
    container: panel.querySelector(".editor-canvas"),
    propertiesPanel: { parent: panel.querySelector(".properties") },
    additionalModules: [
      window.BpmnJSPropertiesPanel.BpmnPropertiesPanelModule,
      window.BpmnJSPropertiesPanel.BpmnPropertiesProviderModule,
    ],
    moddleExtensions: { spiffworkflow: SPIFF },
    debounceInput: false, // the properties panel's edits are in the model before any export
  });
  editors[bpmnName] = modeler;
  window.flowEditor = { modeler, editors, currentFiles, validate };
  await openTab(bpmnName); // the canvas needs its size before the diagram is fitted
  try {
    await modeler.importXML(cfg.files[bpmnName]);
  } catch (err) {
    status(`${T.failed}: ${err.message}`, true);
    return;
  }
  modeler.get("canvas").zoom("fit-viewport");
  modeler.get("canvas").scroll({ dx: 60, dy: 0 }); // clear of the palette
  modeler.on("selection.changed", (e) => renderSettings(e.newSelection.length === 1 ? e.newSelection[0] : null));
  modeler.on("element.changed", (e) => {
    // A change made elsewhere (the canvas, the properties panel, undo) shows in the panel.
    const selected = modeler.get("selection").get();
    if (!editingFromPanel && selected.length === 1 && [selected[0], selected[0].labelTarget].includes(e.element)) {
      renderSettings(selected[0]);
    }
  });
  renderSettings(null);
  for (const tab of document.querySelectorAll(".editor-tabs button")) tab.addEventListener("click", () => openTab(tab.dataset.file));
  document.getElementById("validate").addEventListener("click", validate);
  document.getElementById("save-draft").addEventListener("click", saveDraft);
  document.getElementById("deploy").addEventListener("click", deploy);
  document.getElementById("editor").dataset.ready = "1";
});
