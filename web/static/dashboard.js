// Dashboard charts (Chart.js) and the process heatmap (bpmn-js overlays); both served locally.
// The same figures are always in the tables, so the page works without JavaScript.
window.addEventListener("load", () => {
  const data = document.getElementById("series-data");
  const canvas = document.getElementById("series-chart");
  if (data && canvas && window.Chart) {
    const s = JSON.parse(data.textContent);
    const line = (label, values, color) => ({ label, data: values, borderColor: color, backgroundColor: color, tension: 0.2 });
    new window.Chart(canvas, {
      type: "line",
      data: {
        labels: s.labels,
        datasets: [line(s.names[0], s.received, "#1f5fa8"), line(s.names[1], s.approved, "#1e7a3c"), line(s.names[2], s.rejected, "#a32020")],
      },
      options: { animation: false, responsive: true, maintainAspectRatio: false, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
    });
    canvas.dataset.ready = "1";
  }
  heatmap();
});

// Green (quick) to red (slow), relative to the slowest step shown.
function colour(share) {
  const hue = Math.round(120 * (1 - Math.min(1, Math.max(0, share))));
  return `hsl(${hue}, 70%, 78%)`;
}

async function heatmap() {
  const el = document.getElementById("heatmap");
  const data = document.getElementById("heat-data");
  if (!el || !data || !window.BpmnJS) return;
  const heat = JSON.parse(data.textContent);
  try {
    const viewer = await window.showDiagram(el);
    const canvas = viewer.get("canvas");
    const registry = viewer.get("elementRegistry");
    const overlays = viewer.get("overlays");
    // The applicant's time is not the offices': grey, and left out of the scale.
    const slowest = Math.max(1, ...heat.steps.filter((s) => !s.applicant).map((s) => s.median_hours));
    for (const step of heat.steps) {
      const element = registry.get(step.id);
      if (!element) continue; // a step of an older version
      const shape = registry.getGraphics(element).querySelector(".djs-visual > :first-child");
      if (step.applicant) canvas.addMarker(step.id, "applicant-step");
      else if (shape) shape.style.fill = colour(step.median_hours / slowest);
      const badge = document.createElement("div");
      badge.className = "heat-badge";
      badge.textContent = `${step.median_hours} ${heat.hours} · ${step.pending} ${heat.pending} / ${step.overdue} ${heat.overdue}`;
      if (step.overdue > 0) badge.classList.add("overdue");
      overlays.add(step.id, { position: { bottom: 4, left: 0 }, html: badge });
    }
    el.dataset.ready = "1";
  } catch (err) {
    el.textContent = document.documentElement.lang === "hi" ? "आरेख नहीं दिखाया जा सका।" : "The diagram could not be shown.";
  }
}
