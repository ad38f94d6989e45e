// Highlighting claims on the reading page: DOM selection → canonical offsets → POST.
// The server re-derives and validates everything; this module only reports what was selected.
const blocksRoot = document.getElementById("article-blocks");
const CONTEXT = 32;
const SEPARATOR = "\n\n"; // must match annotations.anchoring.CANONICAL_SEPARATOR

// The words a reader sees come from the page (templates/reading/js_messages.html, translated);
// "{name}" placeholders are filled in here.
function t(key, vars = {}) {
  const text = document.getElementById("js-messages")?.dataset[key] ?? "";
  return text.replace(/\{(\w+)\}/g, (_, name) => String(vars[name] ?? ""));
}

function csrfToken() {
  try {
    return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
  } catch {
    return "";
  }
}

function blockTexts() {
  return Array.from(blocksRoot.querySelectorAll(".block-text[data-start]"));
}

// Canonical text as the browser sees it: block texts joined by the separator (UTF-16 units).
function canonicalText() {
  return blockTexts().map((el) => el.textContent).join(SEPARATOR);
}

function offsetWithin(element, node, offset) {
  const range = document.createRange();
  range.selectNodeContents(element);
  range.setEnd(node, offset);
  return range.toString().length;
}

// The selection as canonical [start, end) in UTF-16 units, or null when it is outside the text.
export function selectionOffsets(selection = window.getSelection()) {
  if (!blocksRoot || !selection || selection.rangeCount === 0 || selection.isCollapsed) return null;
  const range = selection.getRangeAt(0);
  const touched = blockTexts().filter((el) => range.intersectsNode(el));
  if (touched.length === 0) return null;
  const first = touched[0];
  const last = touched[touched.length - 1];
  const startInside = first.contains(range.startContainer);
  const endInside = last.contains(range.endContainer);
  const start = Number(first.dataset.start) +
    (startInside ? offsetWithin(first, range.startContainer, range.startOffset) : 0);
  const end = Number(last.dataset.start) +
    (endInside ? offsetWithin(last, range.endContainer, range.endOffset) : last.textContent.length);
  return end > start ? { start, end } : null;
}

function selectorFor({ start, end }) {
  const text = canonicalText();
  return {
    exact: text.slice(start, end),
    prefix: text.slice(Math.max(0, start - CONTEXT), start),
    suffix: text.slice(end, end + CONTEXT),
    start,
    end,
  };
}

function flash(claimId, { scroll = true } = {}) {
  const mark = blocksRoot?.querySelector(`mark[data-annotation-id="${CSS.escape(String(claimId))}"]`);
  if (!mark) return;
  if (scroll) mark.scrollIntoView({ block: "center", behavior: "smooth" });
  blocksRoot.querySelectorAll(`mark[data-annotation-id="${CSS.escape(String(claimId))}"]`)
    .forEach((piece) => {
      piece.classList.remove("claim-mark--flash");
      void piece.offsetWidth; // restart the animation
      piece.classList.add("claim-mark--flash");
    });
}

// The card's URL comes from the page (reverse() on the server), "{id}" standing for the claim.
export function claimUrl(claimId) {
  const template = document.querySelector("[data-claim-url-template]")?.dataset.claimUrlTemplate;
  return template.replace("{id}", encodeURIComponent(claimId));
}

function openCard(claimId) {
  const url = claimUrl(claimId);
  if (window.htmx) {
    // The card region is the request's source: without one htmx uses <body> for every
    // htmx.ajax call, and the live refreshes queued there would drop this request.
    window.htmx.ajax("GET", url, { source: "#claim-card", target: "#claim-card", swap: "innerHTML" });
  } else {
    window.location.assign(url);
  }
}

if (blocksRoot) {
  const tool = document.getElementById("highlight-tool");
  const button = tool?.querySelector('[data-action="highlight"]');
  const errorBox = document.getElementById("highlight-error");
  let pendingFlash = null;
  let busy = false;
  // Keys typed right after highlighting, before the new claim's card is on the page: they
  // go into its tag input when it arrives (Enter adds the tag), instead of being lost.
  let typeAhead = null; // { claimId, text, submit, until }

  if (tool) document.body.append(tool); // positioned against the page, not the article

  function showError(message) {
    if (!errorBox) return;
    errorBox.textContent = message;
    errorBox.hidden = !message;
  }

  function placeTool() {
    if (!tool) return;
    const selection = window.getSelection();
    const offsets = selectionOffsets(selection);
    if (!offsets) {
      tool.hidden = true;
      return;
    }
    const rect = selection.getRangeAt(0).getBoundingClientRect();
    tool.hidden = false;
    const left = Math.min(
      window.scrollX + rect.left + rect.width / 2 - tool.offsetWidth / 2,
      window.scrollX + document.documentElement.clientWidth - tool.offsetWidth - 8,
    );
    tool.style.left = `${Math.max(window.scrollX + 8, left)}px`;
    tool.style.top = `${window.scrollY + rect.bottom + 8}px`;
  }

  async function highlight() {
    const offsets = selectionOffsets();
    if (!offsets || busy || !button) return;
    const selector = selectorFor(offsets);
    if (!selector.exact.trim()) {
      showError(t("selectFirst"));
      return;
    }
    busy = true;
    button.disabled = true;
    typeAhead = { claimId: null, text: "", submit: false, until: Date.now() + 15000 };
    const body = new FormData();
    for (const [key, value] of Object.entries(selector)) body.append(key, String(value));
    try {
      const response = await fetch(button.dataset.url, {
        method: "POST",
        body,
        headers: { "X-CSRFToken": csrfToken(), Accept: "application/json" },
        credentials: "same-origin",
      });
      const data = await response.json().catch(() => ({}));
      if (!response.ok) {
        typeAhead = null;
        showError(data.error || t("saveFailed", { status: response.status }));
        return;
      }
      typeAhead.claimId = String(data.id);
      showError("");
      window.getSelection()?.removeAllRanges();
      tool.hidden = true;
      pendingFlash = data.id;
      // keyboard.js moves focus into the new card when the claim was made from the keyboard.
      document.dispatchEvent(new CustomEvent("sourcemark:claim-made", { detail: { id: String(data.id) } }));
      window.htmx?.trigger(document.body, "claims-changed");
      openCard(data.id);
    } catch {
      typeAhead = null;
      showError(t("connectionFailed"));
    } finally {
      busy = false;
      button.disabled = false;
    }
  }

  document.addEventListener("keydown", (event) => {
    if (!typeAhead || Date.now() > typeAhead.until) {
      typeAhead = null;
      return;
    }
    const typing = event.target.closest?.("input, textarea, select, [contenteditable]");
    if (typing || event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
    if (event.key === "Escape") {
      typeAhead = null;
      return;
    }
    if (event.key === "Enter") typeAhead.submit = true;
    else if (event.key === "Backspace") typeAhead.text = typeAhead.text.slice(0, -1);
    else if (event.key.length === 1 && !typeAhead.submit) typeAhead.text += event.key;
    else return;
    event.preventDefault();
    event.stopImmediatePropagation(); // not a shortcut ("h") while it is being typed
  }, true);

  // After htmx has set up the new card (afterSettle), so its form submits through htmx.
  document.body.addEventListener("htmx:afterSettle", (event) => {
    if (event.detail.target?.id !== "claim-card" || !typeAhead?.claimId) return;
    const card = event.detail.target.querySelector(".claim-card");
    if (!card || card.dataset.claimId !== typeAhead.claimId) return;
    const { text, submit } = typeAhead;
    typeAhead = null;
    const input = card.querySelector('input[name="source_tag"]');
    if (!input || (!text && !submit)) return;
    input.value = text;
    input.focus();
    input.setSelectionRange(text.length, text.length);
    if (submit && text.trim()) input.form.requestSubmit();
  });

  document.addEventListener("selectionchange", () => window.requestAnimationFrame(placeTool));
  button?.addEventListener("mousedown", (event) => event.preventDefault()); // keep the selection
  button?.addEventListener("click", highlight);
  document.addEventListener("keydown", (event) => {
    const target = event.target;
    const typing = target.closest?.("input, textarea, select, [contenteditable]");
    if (typing || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === "h" && button && selectionOffsets()) {
      event.preventDefault();
      highlight();
    } else if (event.key === "Enter" && target.matches?.("mark[data-annotation-id]")) {
      event.preventDefault();
      openCard(target.dataset.annotationId);
    }
  });

  // Clicking a mark opens its card (the innermost claim when marks are nested).
  blocksRoot.addEventListener("click", (event) => {
    const mark = event.target.closest("mark[data-annotation-id]");
    if (!mark || !window.getSelection()?.isCollapsed) return;
    openCard(mark.dataset.annotationId);
  });

  // A claim in the panel opens its card (the link's page is the no-script fallback) and
  // shows its mark; the card's "Show in text" shows the mark too.
  document.addEventListener("click", (event) => {
    const item = event.target.closest(".claim-item[data-claim-id]");
    if (item && event.target.closest(".claim-link") && !event.ctrlKey && !event.metaKey) {
      event.preventDefault();
      openCard(item.dataset.claimId);
      flash(item.dataset.claimId);
      return;
    }
    const show = event.target.closest("[data-action='show-mark']");
    if (show) flash(show.dataset.claimId);
  });

  // An orphan's card: "Re-attach to selected text" sends the selection like a new claim.
  document.addEventListener("mousedown", (event) => {
    if (event.target.closest("[data-action='reattach']")) event.preventDefault(); // keep it
  });
  document.addEventListener("click", (event) => {
    const reattach = event.target.closest("[data-action='reattach']");
    if (!reattach) return;
    const offsets = selectionOffsets();
    if (!offsets) {
      showError(t("reattachSelect"));
      return;
    }
    showError("");
    const values = selectorFor(offsets);
    window.getSelection()?.removeAllRanges();
    window.htmx.ajax("POST", reattach.dataset.url, {
      source: "#claim-card", target: "#claim-card", swap: "innerHTML", values,
    });
  });

  // The margin's notes and the keyboard (margin.js, keyboard.js) open cards through here.
  document.addEventListener("sourcemark:open-claim", (event) => openCard(event.detail.id));

  document.body.addEventListener("htmx:afterSwap", (event) => {
    if (event.detail.target === blocksRoot && pendingFlash !== null) {
      // The new claim's mark is where the reader already is: below the margin layout the
      // card is a sheet over the bottom of the window, which margin.js keeps clear of it.
      flash(pendingFlash, { scroll: false });
      pendingFlash = null;
    }
  });

  // Deep links (#claim-12) from exports and claim pages open and show the claim.
  const match = window.location.hash.match(/^#claim-(\d+)$/);
  if (match) {
    flash(match[1]);
    openCard(match[1]);
  }
}
