// The scheme page: each form of the bundle in the form-js editor, a live preview beside it (the
// form-js viewer, as the applicant sees it), and the forms written back into the page's form
// before it is posted. Validation and publishing happen on the server.
window.addEventListener("load", async () => {
  const holder = document.getElementById("forms-json");
  if (!holder || !window.FormEditor) return;
  const forms = JSON.parse(holder.value || "{}");
  const choice = document.getElementById("form-choice");
  const first = choice.value || "application";
  const empty = () => ({ type: "default", components: [] });
  const editor = await window.FormEditor.createFormEditor({
    container: document.getElementById("form-editor"), schema: forms[first] || empty(),
  });
  const preview = await window.FormViewer.createForm({
    container: document.getElementById("form-preview"), schema: editor.saveSchema(),
  });
  let current = first;

  const keep = () => { if (current) forms[current] = editor.saveSchema(); };
  const show = async (key) => {
    keep();
    current = key;
    await editor.importSchema(forms[key] || empty());
    await preview.importSchema(editor.saveSchema());
  };
  editor.on("changed", async () => {
    try { await preview.importSchema(editor.saveSchema()); } catch (e) { /* an incomplete field */ }
  });
  choice.addEventListener("change", () => show(choice.value));
  document.getElementById("add-form").addEventListener("click", () => {
    const input = document.getElementById("new-form-key");
    const key = input.value.trim();
    if (!/^[a-z][a-z0-9_]*$/.test(key) || forms[key]) { input.reportValidity(); return; }
    forms[key] = { type: "default", id: `Form_${key}`, schemaVersion: 16, components: [] };
    choice.add(new Option(key, key));
    choice.value = key;
    show(key);
  });
  document.getElementById("scheme-form").addEventListener("submit", () => {
    keep();
    holder.value = JSON.stringify(forms);
  });
  window.schemeForms = { editor, preview, forms, show };
  document.getElementById("form-editor").dataset.ready = "1";
});
