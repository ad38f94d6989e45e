// Live updates on the reading page: one EventSource on the article's event stream. This module
// decides what to refresh without disturbing the reader: no refresh of the text while they
// are selecting, no reload of a claim card they are typing in, and a short notice of what
// others did.
const root = document.querySelector("[data-live-url]");
const blocks = document.getElementById("article-blocks");
const REFRESH_DELAY_MS = 120;
let lastEventId = null;
let refreshTimer = null;
let blocksPending = false;

// The words a reader sees come from the page (templates/reading/js_messages.html, translated);
// "{name}" placeholders are filled in here.
function t(key, vars = {}) {
  const text = document.getElementById("js-messages")?.dataset[key] ?? "";
  return text.replace(/\{(\w+)\}/g, (_, name) => String(vars[name] ?? ""));
}

// What each change log verb says ("tagged a claim"), from the server's ActivityVerb labels.
const VERBS = JSON.parse(root?.dataset.activityVerbs || "{}");

// A claim card's URL (reverse() on the server), "{id}" standing for the claim.
function claimUrl(claimId) {
  return root.dataset.claimUrlTemplate.replace("{id}", encodeURIComponent(claimId));
}

function selecting() {
  const selection = window.getSelection();
  return Boolean(
    selection && !selection.isCollapsed && blocks && selection.rangeCount &&
      blocks.contains(selection.getRangeAt(0).commonAncestorContainer),
  );
}

function refreshBlocks() {
  if (selecting()) {
    blocksPending = true; // after the reader finishes selecting
    return;
  }
  blocksPending = false;
  // Each region is its own request's source: htmx.ajax without one queues every call on
  // <body>, where a newer request replaces a waiting one (a card could fail to open).
  window.htmx.ajax("GET", blocks.getAttribute("hx-get"), {
    source: "#article-blocks", target: "#article-blocks", swap: "innerHTML",
  });
}

function refreshPanel() {
  const panel = document.getElementById("claim-panel");
  if (panel) {
    window.htmx.ajax("GET", panel.getAttribute("hx-get"), {
      source: "#claim-panel", target: "#claim-panel", swap: "outerHTML",
    });
  }
}

function scheduleRefresh() {
  window.clearTimeout(refreshTimer);
  refreshTimer = window.setTimeout(() => {
    refreshBlocks();
    refreshPanel();
  }, REFRESH_DELAY_MS);
}

function notice(text, { sticky = false } = {}) {
  const box = document.getElementById("live-notice");
  if (!box) return;
  box.textContent = text;
  box.hidden = false;
  // Replayed to screen readers and kept long enough to read; the bar it sits in is pinned
  // to the window, so it is seen wherever the reader has scrolled.
  window.clearTimeout(box._timer);
  box._timer = window.setTimeout(() => { box.hidden = true; }, sticky ? 15000 : 7000);
}

function updateOpenCard(event) {
  const card = document.querySelector("#claim-card .claim-card");
  if (!card || String(card.dataset.claimId) !== String(event.claim) || event.mine) return;
  const gone = ["claim.deleted", "claim.moderated", "claim.hidden"].includes(event.verb);
  if (gone) {
    const region = document.getElementById("claim-card");
    region.replaceChildren();
    const p = document.createElement("p");
    p.className = "muted hint";
    p.textContent = t("claimGone", { actor: event.actor, what: VERBS[event.verb] || t("changedIt") });
    region.append(p);
    document.dispatchEvent(new CustomEvent("sourcemark:card-closed"));
    return;
  }
  const busy = card.contains(document.activeElement) &&
    document.activeElement.matches("input, textarea, select");
  if (busy) {
    notice(t("editingChanged", { actor: event.actor }), { sticky: true });
    return true;
  } else {
    window.htmx.ajax("GET", claimUrl(event.claim), {
      source: "#claim-card", target: "#claim-card", swap: "innerHTML",
    });
  }
}

function setStatus(state) {
  const status = document.getElementById("live-status");
  if (!status) return;
  status.dataset.state = state;
  status.textContent = { live: t("live"), offline: t("offline") }[state] || t("reconnecting");
}

function handle(data, id) {
  let event;
  try {
    event = JSON.parse(data);
  } catch {
    return;
  }
  lastEventId = id || event.id;
  document.dispatchEvent(new CustomEvent("sourcemark:live", { detail: event }));
  scheduleRefresh();
  const toldAlready = updateOpenCard(event);
  if (!event.mine && event.actor && !toldAlready) {
    const what = VERBS[event.verb] || t("madeAChange");
    notice(event.verb === "claim.created"
      ? t("newClaim", { actor: event.actor })
      : t("actorDid", { actor: event.actor, what }));
  }
}

// The browser's EventSource reconnects by itself and sends Last-Event-ID, so nothing is
// missed; only when it gives up (an HTTP error) do we start a new one, resuming with ?since=.
function connect(delay = 1000) {
  const url = new URL(root.dataset.liveUrl, window.location.href);
  if (lastEventId !== null) url.searchParams.set("since", lastEventId);
  const source = new EventSource(url.toString());
  source.addEventListener("open", () => {
    setStatus("live");
    delay = 1000;
  });
  source.addEventListener("claims-changed", (message) => handle(message.data, message.lastEventId));
  source.addEventListener("access-lost", () => {
    source.close();
    setStatus("offline");
    notice(t("accessLost"), { sticky: true });
  });
  source.addEventListener("error", () => {
    if (source.readyState === EventSource.CLOSED) {
      setStatus("reconnecting");
      window.setTimeout(() => connect(Math.min(delay * 2, 30000)), delay);
    } else {
      setStatus("reconnecting");
    }
  });
}

if (root && blocks && window.htmx) {
  connect();
  document.addEventListener("selectionchange", () => {
    if (blocksPending && !selecting()) refreshBlocks();
  });
}
