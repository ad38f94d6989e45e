// Suggested claims: a suggestion's mark in the text and its entry in the panel lead to each
// other (click or Enter). Accepting and dismissing are plain forms (htmx when available).

const blocksRoot = document.getElementById("article-blocks");

function flash(element) {
  element.classList.remove("suggestion-mark--flash");
  void element.offsetWidth; // restart the animation
  element.classList.add("suggestion-mark--flash");
}

function showInPanel(id) {
  const item = document.getElementById(`suggestion-${id}`);
  if (!item) return;
  item.scrollIntoView({ block: "center", behavior: "smooth" });
  item.querySelector("[data-action='accept-suggestion']")?.focus({ preventScroll: true });
  flash(item);
}

function showInText(id) {
  const marks = blocksRoot?.querySelectorAll(`mark[data-suggestion-id="${CSS.escape(id)}"]`);
  if (!marks?.length) return;
  marks[0].scrollIntoView({ block: "center", behavior: "smooth" });
  marks.forEach(flash);
}

if (blocksRoot) {
  blocksRoot.addEventListener("click", (event) => {
    const mark = event.target.closest("mark[data-suggestion-id]");
    // A click inside a claim's mark opens the claim (highlight.js); selecting text wins too.
    if (!mark || event.target.closest("mark[data-annotation-id]")) return;
    if (!window.getSelection()?.isCollapsed) return;
    showInPanel(mark.dataset.suggestionId);
  });
  blocksRoot.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && event.target.matches?.("mark[data-suggestion-id]")) {
      event.preventDefault();
      showInPanel(event.target.dataset.suggestionId);
    }
  });
}

document.addEventListener("click", (event) => {
  const link = event.target.closest("[data-action='show-suggestion']");
  if (!link) return;
  event.preventDefault();
  showInText(link.dataset.suggestionId);
});
