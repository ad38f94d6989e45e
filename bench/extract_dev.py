"""Print JSON Lines {"path", "blocks": [{"kind", "text"}]} for gzipped HTML pages.

Usage: python bench/extract_dev.py PAGE.html.gz [...]
Used with ../shared/extraction/score.py --cmd ".venv/bin/python bench/extract_dev.py".
"""

import gzip
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from articles.html_extraction import decode_html, extract_page  # noqa: E402


def main(paths: list[str]) -> None:
    for path in paths:
        with gzip.open(path) as fh:
            body = fh.read()
        page = extract_page(html=decode_html(body=body))
        blocks = [{"kind": s.kind, "text": s.text} for s in page.segments]
        print(json.dumps({"path": path, "blocks": blocks}, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
