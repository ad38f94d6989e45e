// Reading and highlighting without a mouse. A reading cursor is the page's own text selection,
// moved by sentence (j/k) and word (w/b, ←/→) and stretched with Shift+arrows (J/K by sentence),
// so `h` makes the claim through exactly the mouse's path (highlight.js). Focus moves into a
// card opened or made from the keyboard and back to its mark on Escape; every move is told to
// screen readers through a live region; `?` lists the shortcuts. Nothing fires while typing.
const blocks = document.getElementById("article-blocks");
const region = document.getElementById("claim-card");
const announcer = document.getElementById("reading-announcer");
const dialog = document.getElementById("shortcuts-dialog");
const SEPARATOR_LENGTH = 2; // "\n\n" between blocks, as annotations.anchoring joins them
const ANNOUNCE_LENGTH = 160;

function t(key, vars = {}) {
  const text = document.getElementById("js-messages")?.dataset[key] ?? "";
  return text.replace(/\{(\w+)\}/g, (_, name) => String(vars[name] ?? ""));
}

function announce(text) {
  if (!announcer) return;
  // Emptied first so the same words twice in a row are read twice.
  announcer.textContent = "";
  window.setTimeout(() => { announcer.textContent = text; }, 30);
}

function short(text) {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > ANNOUNCE_LENGTH ? `${flat.slice(0, ANNOUNCE_LENGTH - 1)}…` : flat;
}

// A claim's number as the page shows it: the first piece of its mark (the one source).
function claimNumber(id) {
  return blocks.querySelector(`mark[data-annotation-id="${CSS.escape(String(id))}"]`)
    ?.dataset.claimNumber || "";
}

function firstMark(id) {
  return blocks.querySelector(`mark[data-annotation-id="${CSS.escape(String(id))}"]`);
}

// --- The text as segments (sentences and words), in canonical offsets (UTF-16 units). ---
let segmentsCache = null;

function visibleBlocks() {
  return Array.from(blocks.querySelectorAll(".block-text[data-start]"))
    .filter((el) => el.getClientRects().length > 0); // collapsed boilerplate is skipped
}

function segmenter(granularity) {
  const lang = blocks.closest("[lang]")?.getAttribute("lang") || undefined;
  try {
    return new Intl.Segmenter(lang, { granularity });
  } catch {
    return new Intl.Segmenter(undefined, { granularity });
  }
}

function segments() {
  if (segmentsCache) return segmentsCache;
  const sentences = [];
  const words = [];
  const bySentence = segmenter("sentence");
  const byWord = segmenter("word");
  for (const el of visibleBlocks()) {
    const base = Number(el.dataset.start);
    const text = el.textContent;
    for (const part of bySentence.segment(text)) {
      const trimmed = part.segment.trimEnd();
      const lead = trimmed.length - trimmed.trimStart().length;
      if (trimmed.trim()) {
        sentences.push({ start: base + part.index + lead, end: base + part.index + trimmed.length });
      }
    }
    for (const part of byWord.segment(text)) {
      if (part.isWordLike) words.push({ start: base + part.index, end: base + part.index + part.segment.length });
    }
  }
  segmentsCache = { sentences, words };
  return segmentsCache;
}

// --- Canonical offsets ↔ DOM positions. ---
function blockAt(offset) {
  for (const el of visibleBlocks()) {
    const start = Number(el.dataset.start);
    if (offset >= start && offset <= start + el.textContent.length) return el;
  }
  return null;
}

function domPoint(offset, { preferNext = false } = {}) {
  const el = blockAt(offset);
  if (!el) return null;
  let rest = offset - Number(el.dataset.start);
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  let last = null;
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const length = node.data.length;
    // At a boundary between two text nodes, a start belongs to the next one (inside its mark).
    if (rest < length || (rest === length && !preferNext)) return [node, rest];
    rest -= length;
    last = node;
  }
  return last ? [last, last.data.length] : [el, 0];
}

function offsetIn(el, node, offset) {
  const range = document.createRange();
  range.selectNodeContents(el);
  range.setEnd(node, offset);
  return Number(el.dataset.start) + range.toString().length;
}

// The reading cursor: the selection in the text, or where the reader last was.
let lastCursor = null;

function selectionCursor() {
  const selection = window.getSelection();
  if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return null;
  const range = selection.getRangeAt(0);
  const startBlock = range.startContainer.parentElement?.closest(".block-text[data-start]");
  const endBlock = range.endContainer.parentElement?.closest(".block-text[data-start]");
  if (!startBlock || !endBlock || !blocks.contains(startBlock)) return null;
  return {
    start: offsetIn(startBlock, range.startContainer, range.startOffset),
    end: offsetIn(endBlock, range.endContainer, range.endOffset),
  };
}

function cursor() {
  const selected = selectionCursor();
  if (selected) return selected;
  const active = document.activeElement;
  if (active?.matches?.("mark[data-annotation-id]") && blocks.contains(active)) {
    const el = active.closest(".block-text[data-start]");
    const start = offsetIn(el, active, 0);
    return { start, end: start };
  }
  return lastCursor;
}

function headerBottom() {
  const header = document.querySelector(".site-header");
  const rect = header?.getBoundingClientRect();
  return rect && getComputedStyle(header).position !== "static" ? Math.max(0, rect.bottom) : 0;
}

function visibleBottom() {
  const sheet = region?.classList.contains("is-open") && getComputedStyle(region).position === "fixed";
  return sheet ? region.getBoundingClientRect().top : window.innerHeight;
}

function select({ start, end }, describe) {
  const from = domPoint(start, { preferNext: true });
  const to = domPoint(end);
  if (!from || !to) return;
  const range = document.createRange();
  range.setStart(...from);
  range.setEnd(...to);
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
  lastCursor = { start, end };
  const rect = range.getBoundingClientRect();
  const topLimit = headerBottom() + 8;
  const bottomLimit = visibleBottom() - 8;
  if (rect.top < topLimit || rect.bottom > bottomLimit) {
    const target = topLimit + (bottomLimit - topLimit) / 3;
    window.scrollBy({ top: rect.top - target, behavior: "instant" });
  }
  announce(t(describe, { text: short(range.toString()) }));
}

// The first sentence in view, where a cursor starts when there is none yet.
function firstInView(sentences) {
  const top = headerBottom();
  for (const sentence of sentences) {
    const point = domPoint(sentence.end);
    if (!point) continue;
    const range = document.createRange();
    range.setStart(...point);
    if (range.getBoundingClientRect().bottom > top) return sentence;
  }
  return sentences[0];
}

function moveSentence(step) {
  const { sentences } = segments();
  if (!sentences.length) return;
  const here = cursor();
  let next;
  if (!here) next = firstInView(sentences);
  else if (step > 0) next = sentences.find((s) => s.start > here.start);
  else next = sentences.findLast((s) => s.start < here.start);
  if (!next) {
    announce(t(step > 0 ? "textEnd" : "textStart"));
    return;
  }
  select(next, "sentence");
}

function moveWord(step) {
  const { words, sentences } = segments();
  if (!words.length) return;
  const here = cursor();
  let next;
  if (!here) {
    const first = firstInView(sentences);
    next = words.find((w) => w.start >= first.start);
  } else if (step > 0) {
    next = words.find((w) => w.start >= here.start && !(w.start === here.start && w.end === here.end));
    if (next && here.end > here.start && next.start === here.start && next.end >= here.end) {
      next = words.find((w) => w.start > here.start);
    }
  } else {
    next = words.findLast((w) => w.start < here.start);
  }
  if (!next) {
    announce(t(step > 0 ? "textEnd" : "textStart"));
    return;
  }
  select(next, "word");
}

function extend(unit, step) {
  const here = cursor();
  if (!here) {
    (unit === "word" ? moveWord : moveSentence)(1);
    return;
  }
  const list = unit === "word" ? segments().words : segments().sentences;
  const end = step > 0
    ? list.find((s) => s.end > here.end)?.end
    : list.findLast((s) => s.end < here.end && s.end > here.start)?.end;
  if (end === undefined) {
    announce(t(step > 0 ? "textEnd" : "textStart"));
    return;
  }
  select({ start: here.start, end }, "selected");
}

function moveClaim(step) {
  const marks = Array.from(blocks.querySelectorAll("mark[data-claim-number]"))
    .filter((mark) => !mark.classList.contains("claim-mark--filtered") && mark.getClientRects().length);
  if (!marks.length) {
    announce(t("noClaims"));
    return;
  }
  const here = cursor();
  const position = (mark) => offsetIn(mark.closest(".block-text[data-start]"), mark, 0);
  let next;
  if (!here) next = step > 0 ? marks[0] : marks[marks.length - 1];
  else if (step > 0) next = marks.find((mark) => position(mark) > here.start);
  else next = marks.findLast((mark) => position(mark) < here.start);
  if (!next) {
    announce(t(step > 0 ? "textEnd" : "textStart"));
    return;
  }
  window.getSelection()?.removeAllRanges();
  const start = position(next);
  lastCursor = { start, end: start };
  next.focus();
  const id = next.dataset.annotationId;
  const text = Array.from(blocks.querySelectorAll(`mark[data-annotation-id="${CSS.escape(id)}"]`))
    .map((piece) => piece.textContent).join("");
  announce(t("atClaim", { number: next.dataset.claimNumber, text: short(text) }));
}

// --- Focus into cards opened or made from the keyboard, back to the mark on Escape. ---
let keyboardLast = false;
let pendingFocus = null; // { id, made }
let focusBeforeSwap = null; // the id of what had focus inside the card before it re-rendered

function openCardId() {
  return region?.querySelector(".claim-card")?.dataset.claimId || null;
}

function focusCard({ made }) {
  const card = region.querySelector(".claim-card");
  if (!card) return;
  const id = card.dataset.claimId;
  const number = claimNumber(id);
  const input = card.querySelector('input[name="source_tag"]');
  if (!card.contains(document.activeElement)) {
    const target = made && input ? input : card.querySelector("#claim-card-title");
    target?.focus({ preventScroll: !made || !input });
    if (target && !made) target.scrollIntoView({ block: "nearest" });
  }
  const quote = card.querySelector(".claim-quote-full")?.textContent || "";
  announce(made
    ? (number ? t("claimMade", { number }) : t("claimMadePlain"))
    : t("claimOpened", { number, text: short(quote) }));
}

function closeCard() {
  const id = openCardId();
  document.dispatchEvent(new CustomEvent("sourcemark:close-card"));
  const mark = id ? firstMark(id) : null;
  if (mark) {
    mark.focus({ preventScroll: true });
    mark.scrollIntoView({ block: "nearest" });
    announce(t("cardClosed", { number: claimNumber(id) }));
  } else {
    blocks.focus({ preventScroll: true });
  }
}

function onEscape(event) {
  const target = event.target;
  if (!region?.contains(target) || !openCardId()) {
    if (selectionCursor()) window.getSelection().removeAllRanges();
    return;
  }
  event.preventDefault();
  if (target.matches("input, textarea, select, [contenteditable]")) {
    // First Escape leaves the field (what was typed stays), the second closes the card.
    region.querySelector("#claim-card-title")?.focus();
    announce(t("escapeAgain"));
    return;
  }
  closeCard();
}

function typing(target) {
  return Boolean(target.closest?.("input, textarea, select, [contenteditable]"));
}

const KEYS = {
  j: () => moveSentence(1),
  k: () => moveSentence(-1),
  J: () => extend("sentence", 1),
  K: () => extend("sentence", -1),
  w: () => moveWord(1),
  b: () => moveWord(-1),
  n: () => moveClaim(1),
  p: () => moveClaim(-1),
};
// Arrows only move the cursor once there is one; otherwise they scroll the page as usual.
const ARROWS = {
  ArrowRight: () => moveWord(1),
  ArrowLeft: () => moveWord(-1),
  "Shift+ArrowRight": () => extend("word", 1),
  "Shift+ArrowLeft": () => extend("word", -1),
  "Shift+ArrowDown": () => extend("sentence", 1),
  "Shift+ArrowUp": () => extend("sentence", -1),
};

function showShortcuts() {
  if (!dialog || dialog.open) return;
  dialog.returnFocus = document.activeElement;
  dialog.showModal();
  dialog.querySelector("[data-action='close-shortcuts']")?.focus();
}

function onKey(event) {
  keyboardLast = true;
  if (event.key === "Enter" && event.target.matches?.("mark[data-annotation-id]")) {
    pendingFocus = { id: event.target.dataset.annotationId, made: false };
    return; // highlight.js opens the card (and has already claimed the key)
  }
  if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
  if (dialog?.open) return; // the dialog handles its own keys (Escape closes it)
  if (event.key === "Escape") {
    onEscape(event);
    return;
  }
  if (typing(event.target)) return;
  if (event.key === "?") {
    event.preventDefault();
    showShortcuts();
    return;
  }
  if (event.key === "h" && !document.querySelector('[data-action="highlight"]')) {
    announce(t("readOnly"));
    return;
  }
  const arrow = ARROWS[`${event.shiftKey ? "Shift+" : ""}${event.key}`];
  const action = KEYS[event.key] || (arrow && (selectionCursor() || lastCursor) ? arrow : null);
  if (!action) return;
  event.preventDefault();
  action();
}

if (blocks && region) {
  document.addEventListener("keydown", onKey);
  document.addEventListener("pointerdown", () => { keyboardLast = false; }, true);
  document.addEventListener("sourcemark:claim-made", (event) => {
    if (keyboardLast) pendingFocus = { id: event.detail.id, made: true };
  });
  // A refresh of the text or the list (someone's change, or one's own) replaces the element
  // that had focus: focus goes back to the same claim's mark or list entry, not to <body>.
  let refocus = null;
  document.body.addEventListener("htmx:beforeSwap", (event) => {
    const target = event.detail.target;
    const active = document.activeElement;
    // Only ever set here (a second refresh arriving after focus was lost must not forget it).
    if (target === blocks || target?.id === "claim-panel") {
      if (active === blocks) refocus = "#article-blocks";
      else if (target.contains(active) && active.matches("mark[data-annotation-id]")) {
        refocus = `#article-blocks mark[data-annotation-id="${CSS.escape(active.dataset.annotationId)}"]`;
      } else if (target.contains(active) && active.closest(".claim-item[data-claim-id]")) {
        const id = active.closest(".claim-item").dataset.claimId;
        refocus = `#claim-panel .claim-item[data-claim-id="${CSS.escape(id)}"] .claim-link`;
      }
    }
  });
  document.body.addEventListener("htmx:afterSettle", (event) => {
    const target = event.detail.target;
    if (!refocus || !(target === blocks || target?.id === "claim-panel")) return;
    const active = document.activeElement;
    if (!active || active === document.body) document.querySelector(refocus)?.focus({ preventScroll: true });
    refocus = null;
  });
  document.body.addEventListener("htmx:beforeSwap", (event) => {
    if (event.detail.target !== region) return;
    const active = document.activeElement;
    focusBeforeSwap = region.contains(active) ? active.id || "claim-card-title" : null;
  });
  document.body.addEventListener("htmx:afterSettle", (event) => {
    if (event.detail.target === blocks) segmentsCache = null;
    if (event.detail.target !== region) return;
    const id = openCardId();
    if (pendingFocus && id === pendingFocus.id) {
      const { made } = pendingFocus;
      pendingFocus = null;
      focusCard({ made });
    } else if (focusBeforeSwap && !region.contains(document.activeElement)) {
      // The card re-rendered under the reader (a tag added, a live update): focus stays in it.
      const field = document.getElementById(focusBeforeSwap);
      (field && region.contains(field) ? field : region.querySelector("#claim-card-title"))
        ?.focus({ preventScroll: true });
    }
    focusBeforeSwap = null;
  });
  // Text that changes (a live refresh, a boilerplate block opened) is segmented again.
  blocks.addEventListener("toggle", () => { segmentsCache = null; }, true);
  new ResizeObserver(() => { segmentsCache = null; }).observe(blocks);

  document.addEventListener("click", (event) => {
    // Enter on a claim in the list (a click with no pointer behind it) also moves focus in.
    const item = event.target.closest(".claim-item[data-claim-id]");
    if (item && event.detail === 0 && event.target.closest(".claim-link")) {
      pendingFocus = { id: item.dataset.claimId, made: false };
    }
    if (event.target.closest("[data-action='show-shortcuts']")) showShortcuts();
    if (event.target.closest("[data-action='close-shortcuts']")) dialog?.close();
  });
  dialog?.addEventListener("close", () => {
    const back = dialog.returnFocus;
    dialog.returnFocus = null;
    if (back?.isConnected) back.focus({ preventScroll: true });
  });
}
