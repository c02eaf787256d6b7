// Swagger UI from the app's own copy (no CDN), pointed at our OpenAPI document.
window.addEventListener("load", () => {
  const el = document.getElementById("swagger");
  if (el && window.SwaggerUIBundle) {
    window.SwaggerUIBundle({ url: el.dataset.url, domNode: el, deepLinking: true });
  }
});
