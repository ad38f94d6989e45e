"""Reading a posted W3C Web Annotation into what a Sourcemark claim holds.

The mapping is the export's (annotations/export.py ``annotation_json``) read backwards:

* ``target``: one current target whose ``source`` is the article's IRI on this site
  (``<SITE_URL>/articles/<id>/``, as a string or an object with that ``id``), with a
  ``TextQuoteSelector`` (required) and optionally a ``TextPositionSelector`` (code points
  into the article's canonical text); ``selector`` may be one object or a list. Other
  selector types are ignored: the quote is what Sourcemark anchors (annotations/anchoring.py).
* ``body`` (object or list) of ``TextualBody``s by ``purpose`` (or, without one, the
  annotation's single ``motivation``): ``tagging`` → a source tag each, ``commenting`` → the
  note (at most one), ``assessing`` → the status (one of ``ClaimStatus``). ``bodyValue`` is a
  note. Anything else is refused rather than silently dropped.
* ``canonical`` is kept as given; a posted ``id`` (and ``via``) go into ``via``.

Every problem is an ``AnnotationProblem`` naming the JSON pointer of what is wrong.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from annotations.models import ClaimStatus

ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
LDP_CONTEXT = "http://www.w3.org/ns/ldp.jsonld"
PURPOSES = ("tagging", "commenting", "assessing")
# Properties Sourcemark stores or assigns itself; anything else would be lost, so it is refused.
KNOWN_PROPERTIES = frozenset(
    {
        "@context",
        "id",
        "type",
        "motivation",
        "created",
        "modified",
        "creator",
        "generator",
        "generated",
        "body",
        "bodyValue",
        "target",
        "canonical",
        "via",
    }
)


class AnnotationProblem(ValueError):
    """A posted annotation Sourcemark cannot take; ``pointer`` is where (RFC 6901)."""

    def __init__(self, detail: str, *, pointer: str = "") -> None:
        super().__init__(detail)
        self.detail = detail
        self.pointer = pointer


@dataclass(frozen=True)
class AnnotationInput:
    exact: str
    prefix: str = ""
    suffix: str = ""
    start: int | None = None  # code points
    end: int | None = None
    note: str = ""
    status: str | None = None
    tags: tuple[str, ...] = ()
    canonical: str = ""
    via: tuple[str, ...] = field(default=())
    id: str = ""


def _as_list(value) -> list:
    return value if isinstance(value, list) else [value]


def _check_context(data: dict) -> None:
    if "@context" not in data:
        return
    contexts = _as_list(data["@context"])
    if ANNO_CONTEXT not in contexts:
        raise AnnotationProblem(
            f"@context must be (or include) {ANNO_CONTEXT!r}.", pointer="/@context"
        )


def _check_type(data: dict) -> None:
    types = _as_list(data.get("type"))
    if "Annotation" not in types:
        raise AnnotationProblem('"type" must be "Annotation".', pointer="/type")


def _string(value, *, pointer: str, required: bool = False) -> str:
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        what = "a non-empty string" if required else "a string"
        raise AnnotationProblem(f"{pointer.rsplit('/', 1)[-1]} must be {what}.", pointer=pointer)
    return value


def _offset(value, *, pointer: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise AnnotationProblem(
            f"{pointer.rsplit('/', 1)[-1]} must be a whole number, 0 or more.", pointer=pointer
        )
    return value


def _target(data: dict) -> tuple[dict, str]:
    if "target" not in data:
        raise AnnotationProblem("An annotation needs a target.", pointer="/target")
    targets = _as_list(data["target"])
    # Our own annotations carry the claim as first highlighted as a second target with a
    # TimeState (an earlier revision's text): what is sent back is the current one.
    current = [
        (index, target)
        for index, target in enumerate(targets)
        if not (isinstance(target, dict) and "state" in target)
    ]
    if len(current) != 1:
        raise AnnotationProblem("Give exactly one current target.", pointer="/target")
    index, target = current[0]
    pointer = f"/target/{index}" if isinstance(data["target"], list) else "/target"
    if not isinstance(target, dict):
        raise AnnotationProblem(
            "The target must be an object with a source and a TextQuoteSelector.",
            pointer=pointer,
        )
    return target, pointer


def _source_iri(target: dict, *, pointer: str) -> str:
    source = target.get("source")
    if isinstance(source, dict):
        source = source.get("id")
    if not isinstance(source, str):
        raise AnnotationProblem(
            "target.source must be the article's IRI.", pointer=pointer + "/source"
        )
    return source


def _selectors(target: dict, *, pointer: str) -> tuple[dict, dict | None, str]:
    """The TextQuoteSelector and the optional TextPositionSelector, with the quote's pointer."""
    raw = target.get("selector")
    listed = isinstance(raw, list)
    quote: tuple[dict, str] | None = None
    position: dict | None = None
    for index, selector in enumerate(_as_list(raw) if raw is not None else []):
        here = f"{pointer}/selector" + (f"/{index}" if listed else "")
        if not isinstance(selector, dict):
            raise AnnotationProblem("Each selector must be an object.", pointer=here)
        kind = selector.get("type")
        if kind == "TextQuoteSelector":
            if quote is not None:
                raise AnnotationProblem("Give one TextQuoteSelector.", pointer=here)
            quote = (selector, here)
        elif kind == "TextPositionSelector":
            if position is not None:
                raise AnnotationProblem("Give at most one TextPositionSelector.", pointer=here)
            position = {**selector, "_pointer": here}
    if quote is None:
        raise AnnotationProblem(
            "The target needs a TextQuoteSelector with the quoted text (`exact`).",
            pointer=pointer + "/selector",
        )
    return quote[0], position, quote[1]


def _position(position: dict | None) -> tuple[int | None, int | None]:
    if position is None:
        return None, None
    here = position["_pointer"]
    start = _offset(position.get("start"), pointer=here + "/start")
    end = _offset(position.get("end"), pointer=here + "/end")
    if end <= start:
        raise AnnotationProblem("end must be greater than start.", pointer=here + "/end")
    return start, end


@dataclass
class _Bodies:
    notes: list[str] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)


def _body_purpose(body: dict, *, motivation, pointer: str) -> str:
    purpose = body.get("purpose", motivation if isinstance(motivation, str) else None)
    if isinstance(purpose, list) and len(purpose) == 1:
        purpose = purpose[0]
    if purpose not in PURPOSES:
        raise AnnotationProblem(
            f"Each body needs a purpose Sourcemark stores: {', '.join(PURPOSES)} "
            f"(got {purpose!r}).",
            pointer=pointer + "/purpose",
        )
    return purpose


def _read_body(body, *, motivation, pointer: str, into: _Bodies) -> None:
    if not isinstance(body, dict) or body.get("type", "TextualBody") != "TextualBody":
        raise AnnotationProblem("Bodies must be TextualBody objects with a value.", pointer=pointer)
    value = _string(body.get("value"), pointer=pointer + "/value", required=True)
    purpose = _body_purpose(body, motivation=motivation, pointer=pointer)
    if purpose == "tagging":
        into.tags.append(value)
    elif purpose == "commenting":
        into.notes.append(value)
    else:
        into.statuses.append(value)


def _bodies(data: dict) -> _Bodies:
    result = _Bodies()
    if "body" in data and "bodyValue" in data:
        raise AnnotationProblem("Give body or bodyValue, not both.", pointer="/bodyValue")
    if "bodyValue" in data:
        result.notes.append(_string(data["bodyValue"], pointer="/bodyValue", required=True))
        return result
    raw = data.get("body")
    if raw is None:
        return result
    listed = isinstance(raw, list)
    for index, body in enumerate(_as_list(raw)):
        pointer = "/body" + (f"/{index}" if listed else "")
        _read_body(body, motivation=data.get("motivation"), pointer=pointer, into=result)
    if len(result.notes) > 1:
        raise AnnotationProblem("Give at most one commenting body (the note).", pointer="/body")
    if len(result.statuses) > 1:
        raise AnnotationProblem("Give at most one assessing body (the status).", pointer="/body")
    for status in result.statuses:
        if status not in ClaimStatus.values:
            raise AnnotationProblem(
                f"The assessing body's value must be one of {', '.join(ClaimStatus.values)} "
                f"(got {status!r}).",
                pointer="/body",
            )
    return result


def _iris(data: dict) -> tuple[str, tuple[str, ...], str]:
    canonical = _string(data.get("canonical"), pointer="/canonical")
    via_raw = data.get("via")
    via = [] if via_raw is None else _as_list(via_raw)
    if not all(isinstance(iri, str) and iri for iri in via):
        raise AnnotationProblem("via must be an IRI or a list of IRIs.", pointer="/via")
    given_id = _string(data.get("id"), pointer="/id")
    return canonical, tuple(via), given_id


def parse_annotation(data, *, article_iri: str) -> AnnotationInput:
    """Read a W3C Web Annotation (already JSON-decoded) aimed at the article `article_iri`."""
    if not isinstance(data, dict):
        raise AnnotationProblem("The request body must be one JSON object: a Web Annotation.")
    unknown = sorted(set(data) - KNOWN_PROPERTIES)
    if unknown:
        raise AnnotationProblem(
            f"Sourcemark does not store {', '.join(unknown)}; leave it out.",
            pointer="/" + unknown[0],
        )
    _check_context(data)
    _check_type(data)
    target, pointer = _target(data)
    source = _source_iri(target, pointer=pointer)
    if source != article_iri:
        raise AnnotationProblem(
            f"target.source must be this container's article, {article_iri}.",
            pointer=pointer + "/source",
        )
    quote, position, quote_pointer = _selectors(target, pointer=pointer)
    start, end = _position(position)
    bodies = _bodies(data)
    canonical, via, given_id = _iris(data)
    return AnnotationInput(
        exact=_string(quote.get("exact"), pointer=quote_pointer + "/exact", required=True),
        prefix=_string(quote.get("prefix"), pointer=quote_pointer + "/prefix"),
        suffix=_string(quote.get("suffix"), pointer=quote_pointer + "/suffix"),
        start=start,
        end=end,
        note=bodies.notes[0] if bodies.notes else "",
        status=bodies.statuses[0] if bodies.statuses else None,
        tags=tuple(bodies.tags),
        canonical=canonical,
        via=via,
        id=given_id,
    )
