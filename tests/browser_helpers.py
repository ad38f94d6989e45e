"""Helpers for the Playwright tests: selecting text like a reader, reading marks back."""

# Select the first occurrence of a quote inside the article's blocks (across text nodes).
SELECT_TEXT = """
(quote) => {
  const walker = document.createTreeWalker(document.getElementById('article-blocks'),
                                           NodeFilter.SHOW_TEXT);
  const nodes = [];
  let full = '';
  while (walker.nextNode()) { nodes.push([walker.currentNode, full.length]);
                              full += walker.currentNode.data; }
  const start = full.indexOf(quote);
  if (start < 0) throw new Error('quote not on the page');
  const end = start + quote.length;
  const locate = (pos) => { for (const [node, offset] of nodes) {
      if (pos <= offset + node.data.length) return [node, pos - offset]; } };
  const range = document.createRange();
  range.setStart(...locate(start));
  range.setEnd(...locate(end));
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
}
"""


def marked_text(page, claim_id) -> str:
    """The text of every rendered piece of a claim, in document order."""
    return page.evaluate(
        "(id) => Array.from(document.querySelectorAll(`mark[data-annotation-id='${id}']`))"
        ".map(m => m.textContent).join('')",
        claim_id,
    )
