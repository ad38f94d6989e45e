// Batch import page: count finished rows and move the progress bar as each row's htmx
// request comes back. The rows import themselves; this file only reports progress.
const batch = document.querySelector("[data-batch]");

function update() {
  const rows = batch.querySelectorAll(".batch-item");
  let imported = 0;
  let failed = 0;
  rows.forEach((row) => {
    if (row.dataset.state === "imported") imported += 1;
    if (row.dataset.state === "failed") failed += 1;
  });
  const done = imported + failed;
  const progress = batch.querySelector("#batch-progress");
  progress.max = rows.length;
  progress.value = done;
  progress.textContent = `${done} of ${rows.length}`;
  batch.querySelector("[data-batch-done]").textContent = String(done);
  batch.querySelector("[data-batch-imported]").textContent = String(imported);
  batch.querySelector("[data-batch-failed]").textContent = String(failed);
  batch.toggleAttribute("data-batch-complete", done === rows.length);
}

if (batch) {
  document.body.addEventListener("htmx:afterSettle", update);
  // A row whose request failed outright (network error, server error) is marked failed so the
  // count still finishes; the server answers every import problem with a "failed" row itself.
  document.body.addEventListener("htmx:responseError", (event) => markFailed(event.detail.elt));
  document.body.addEventListener("htmx:sendError", (event) => markFailed(event.detail.elt));
  update();
}

function markFailed(row) {
  if (!row || !row.classList.contains("batch-item") || row.dataset.state !== "pending") return;
  row.dataset.state = "failed";
  row.classList.replace("batch-item--pending", "batch-item--failed");
  const result = row.querySelector(".batch-result");
  result.className = "batch-result field-error";
  result.textContent = "Failed: the server did not answer. Try this one again later.";
  update();
  // Start the next waiting row, as the server's answer would have done.
  const next = Number(row.dataset.index) + Number(batch.dataset.concurrency || 1);
  document.body.dispatchEvent(new CustomEvent(`batch-next-${next}`));
}
