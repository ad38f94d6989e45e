// PNG downloads of the dashboard's charts. The link points at the chart's SVG (what a browser
// without scripts downloads); here the SVG is drawn onto a canvas at twice its size and saved
// as PNG. The SVG is loaded as a data: URL (allowed by the CSP's img-src) so the canvas stays
// readable. Messages come from the link's data attributes (translated by the template).
const SCALE = 2;

async function svgToPng(url) {
  const response = await fetch(url, { credentials: "same-origin" });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const text = await response.text();
  const image = new Image();
  const loaded = new Promise((resolve, reject) => {
    image.onload = resolve;
    image.onerror = reject;
  });
  image.src = `data:image/svg+xml;base64,${btoa(unescape(encodeURIComponent(text)))}`;
  await loaded;
  // Read the size from the text: parsing the file into a document would apply (and the CSP
  // refuse) its stylesheet.
  const viewBox = (text.match(/viewBox="([^"]+)"/) || [])[1];
  const [, , width, height] = (viewBox || `0 0 ${image.width} ${image.height}`).split(/\s+/).map(Number);
  const canvas = document.createElement("canvas");
  canvas.width = width * SCALE;
  canvas.height = height * SCALE;
  const context = canvas.getContext("2d");
  context.fillStyle = "#ffffff";
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.drawImage(image, 0, 0, canvas.width, canvas.height);
  return new Promise((resolve) => canvas.toBlob(resolve, "image/png"));
}

document.addEventListener("click", async (event) => {
  const link = event.target.closest("a[data-png-download]");
  if (!link) return;
  event.preventDefault();
  try {
    const blob = await svgToPng(link.href);
    const save = document.createElement("a");
    save.href = URL.createObjectURL(blob);
    save.download = link.dataset.pngDownload;
    document.body.append(save);
    save.click();
    save.remove();
    setTimeout(() => URL.revokeObjectURL(save.href), 10_000);
  } catch {
    link.title = link.dataset.pngError;
    window.location.assign(link.href);
  }
});
