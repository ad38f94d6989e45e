// The claim panel's filters (annotator, source tag, status) and "colour by annotator".
// Filtering happens in the browser: the list and the marks are already on the page. The
// panel is re-rendered by live updates, so the chosen filters are kept here and re-applied.
const layout = document.querySelector(".reading-layout");
const state = { author: "", tags: "", status: "" };
let colourByAnnotator = false;
// Which claims were listed and which of them shown, when the margin was last told: apply()
// runs after every htmx swap on the page (the summary, a card, a live refresh), and the
// margin rebuilds all its notes only when that changed.
let shownKey = null;

// The words a reader sees come from the page (templates/reading/js_messages.html, translated);
// "{name}" placeholders are filled in here.
function t(key, vars = {}) {
  const text = document.getElementById("js-messages")?.dataset[key] ?? "";
  return text.replace(/\{(\w+)\}/g, (_, name) => String(vars[name] ?? ""));
}

function matches(item) {
  if (state.author && item.dataset.author !== state.author) return false;
  if (state.status && item.dataset.status !== state.status) return false;
  if (state.tags && !(item.dataset.tags || "").includes(`|${state.tags}|`)) return false;
  return true;
}

function apply() {
  const panel = document.getElementById("claim-panel");
  if (!panel || !layout) return;
  for (const select of panel.querySelectorAll("select[data-filter]")) {
    const wanted = state[select.dataset.filter];
    select.value = [...select.options].some((option) => option.value === wanted) ? wanted : "";
    state[select.dataset.filter] = select.value;
  }
  const toggle = panel.querySelector("[data-colour-by-annotator]");
  if (toggle) toggle.checked = colourByAnnotator;
  layout.classList.toggle("colour-by-annotator", colourByAnnotator);
  panel.querySelector(".annotator-legend")?.toggleAttribute("hidden", !colourByAnnotator);

  const items = [...panel.querySelectorAll(".claim-item")];
  const hidden = new Set();
  for (const item of items) {
    const show = matches(item);
    item.hidden = !show;
    if (!show) hidden.add(item.dataset.claimId);
  }
  for (const mark of document.querySelectorAll("#article-blocks mark[data-annotation-id]")) {
    mark.classList.toggle("claim-mark--filtered", hidden.has(mark.dataset.annotationId));
  }
  const count = panel.querySelector(".filter-count");
  if (count) {
    const shown = items.length - hidden.size;
    count.hidden = hidden.size === 0;
    count.textContent = t("showing", { shown, total: items.length });
  }
  // The margin (margin.js) shows only the claims the filters leave. A swap of the panel or
  // the text rebuilds it anyway (margin.js listens for those itself).
  const key = items.map((item) => `${item.dataset.claimId}${item.hidden ? "-" : "+"}`).join(",");
  if (key === shownKey) return;
  shownKey = key;
  document.dispatchEvent(new CustomEvent("sourcemark:filtered", { detail: { hidden } }));
}

document.addEventListener("change", (event) => {
  const select = event.target.closest("#claim-panel select[data-filter]");
  if (select) {
    state[select.dataset.filter] = select.value;
    apply();
  } else if (event.target.matches("#claim-panel [data-colour-by-annotator]")) {
    colourByAnnotator = event.target.checked;
    apply();
  }
});
document.body.addEventListener("htmx:afterSwap", apply);
document.body.addEventListener("htmx:afterSettle", apply);
apply();
