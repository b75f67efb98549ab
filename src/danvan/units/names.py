"""Units named as people write them in spreadsheets, resolved against the tree on a date.

`UnitNames(within=unit).resolve(text, on)` accepts:
- the code alone ("14329") or the export's "Name (code)" ("Phường Hoa Lư (14329)");
- a name, ignoring case, diacritics, spaces and the prefix of an area or its abbreviation
  ("Thành phố"/"TP", "Thị xã"/"TX", "Huyện"/"H.", "Quận"/"Q.", "Xã"/"X.", "Phường"/"P.",
  "Thị trấn"/"TT", "Tỉnh"/"T.", "Đặc khu"); a prefix narrows the kind of unit ("H. Yên Khánh" is a
  rural district, "TP Hoa Lư" a city), no prefix leaves it open;
- the name of an agency, whole ("Ban Dân vận Thành ủy Hoa Lư") or as an agency prefix before an
  area ("UBND xã Khánh Thiện", "HĐND", "Đảng ủy", "Thành ủy", "Huyện ủy", "Tỉnh ủy", "Ban Dân vận",
  "MTTQ"/"Mặt trận Tổ quốc", "Ban tiếp công dân"). Rule: such a name means the agency of that kind
  inside the area when the tree has one, else the area itself (many trees hold the communes but
  not their committees, and records of a commune's committee belong to the commune);
- "Name, Parent name" or "Name - Parent name" (any ancestor, at any depth, written the same ways)
  to tell apart units of the same name ("Xã Tân Lập, H. Yên Khánh").

Only units valid on the date match. With `within`, units of that subtree are preferred: when any
unit the text names lies there, the others are ignored.

One import resolves up to a million rows, so the names of the whole tree (~15k units) are read
once per `UnitNames` into an index in memory; what a text names is worked out once per distinct
text, and the choice by date is made in Python for each row. Unit objects are fetched by id and
kept.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import NamedTuple

from django.utils.translation import gettext as _
from rapidfuzz import fuzz, process

from danvan.core.errors import DomainError
from danvan.core.text import fold, normalize

from .models import Unit, UnitKind, UnitLevel

K = UnitKind
CITIES = frozenset({K.CENTRAL_CITY, K.PROVINCIAL_CITY})

# Area prefixes, folded, with the kinds they say; longer forms first so "thi xa" wins over "t.".
AREA_PREFIXES: tuple[tuple[str, frozenset[str]], ...] = (
    (r"thanh pho|t\.? ?p\.?", CITIES),
    (r"thi xa|t\.? ?x\.?", frozenset({K.TOWN})),
    (r"thi tran|t\.? ?t\.?", frozenset({K.TOWNSHIP})),
    (r"dac khu|d\.? ?k\.?", frozenset({K.SPECIAL_ZONE})),
    (r"huyen|h\.", frozenset({K.RURAL_DISTRICT})),
    (r"quan|q\.", frozenset({K.URBAN_DISTRICT})),
    (r"phuong|p\.", frozenset({K.WARD})),
    (r"xa|x\.", frozenset({K.COMMUNE})),
    (r"tinh|t\.", frozenset({K.PROVINCE})),
)
# Agency prefixes, folded: the agency kinds they name and, for a party committee named after its
# area ("Thành ủy"), the area kinds it belongs to.
AGENCY_PREFIXES: tuple[tuple[str, frozenset[str], frozenset[str] | None], ...] = (
    (r"uy ban nhan dan|ubnd", frozenset({K.PEOPLES_COMMITTEE}), None),
    (r"hoi dong nhan dan|hdnd", frozenset({K.PEOPLES_COUNCIL}), None),
    (
        r"(?:uy ban )?(?:mat tran to quoc|mttq)(?: ?viet nam| ?vn)?",
        frozenset({K.FATHERLAND_FRONT}),
        None,
    ),
    (r"ban tiep cong dan|btcd", frozenset({K.CITIZEN_RECEPTION_BOARD}), None),
    (r"ban dan van|bdv", frozenset({K.MASS_MOBILIZATION_COMMITTEE}), None),
    (r"dang uy", frozenset({K.PARTY_COMMITTEE}), None),
    (r"thanh uy", frozenset({K.PARTY_COMMITTEE}), CITIES),
    (r"tinh uy", frozenset({K.PARTY_COMMITTEE}), frozenset({K.PROVINCE})),
    (r"huyen uy", frozenset({K.PARTY_COMMITTEE}), frozenset({K.RURAL_DISTRICT})),
    (r"quan uy", frozenset({K.PARTY_COMMITTEE}), frozenset({K.URBAN_DISTRICT})),
    (r"thi uy", frozenset({K.PARTY_COMMITTEE}), frozenset({K.TOWN})),
)
# After "Ban Dân vận", the party committee it serves says the kind of area ("Ban Dân vận Huyện ủy").
PARTY_AREA_WORDS: tuple[tuple[str, frozenset[str] | None], ...] = tuple(
    (pattern, areas) for pattern, kinds, areas in AGENCY_PREFIXES if K.PARTY_COMMITTEE in kinds
)

_AREA_RES = [(re.compile(rf"^(?:{p})(?:\s+|(?<=\.)|$)"), kinds) for p, kinds in AREA_PREFIXES]
_AGENCY_RES = [(re.compile(rf"^(?:{p})(?:\s+|$)"), kinds, areas) for p, kinds, areas in AGENCY_PREFIXES]
_PARTY_RES = [(re.compile(rf"^(?:{p})(?:\s+|$)"), areas) for p, areas in PARTY_AREA_WORDS]
_NOT_ALNUM = re.compile(r"[\W_]+")
_CODE_IN_BRACKETS = re.compile(r"^(.*?)\s*\(\s*([^()]+?)\s*\)$")
_PARENT_SEPARATORS = (",", " - ", " – ", ";")
MAX_SUGGESTIONS = 3
MAX_LISTED = 10  # candidates named in an "ambiguous" message
SUGGESTION_SCORE = 80


def compact(text: str) -> str:
    """Folded and without spaces or punctuation: the form names are compared in."""
    return _NOT_ALNUM.sub("", fold(text))


def _strip_area_prefix(folded: str) -> tuple[str, frozenset[str] | None]:
    for pattern, kinds in _AREA_RES:
        match = pattern.match(folded)
        if match and folded[match.end() :].strip():
            return folded[match.end() :].strip(), kinds
    return folded, None


def _fmt(day: date | None) -> str:
    return f"{day:%d/%m/%Y}" if day else ""


class Entry(NamedTuple):
    """A unit as the index holds it."""

    id: int
    code: str
    name: str
    kind: str
    level: str
    valid_from: date
    valid_to: date | None
    parent_id: int | None
    path: str

    def valid_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    def ancestor_ids(self) -> set[int]:
        return {int(segment, 16) for segment in self.path.split("/")[:-2] if segment}


class _Named(NamedTuple):
    """What a text names, whatever the date: candidates, or why there are none."""

    candidates: tuple[Entry, ...]
    suggestions: tuple[str, ...] = ()


class UnitNames:
    """Resolves the units named in an import's rows (see the module's docstring for the rules)."""

    def __init__(self, *, within: Unit | None = None) -> None:
        self.within_path = within.path if within is not None else ""
        self.entries: dict[int, Entry] = {}
        self.by_code: dict[str, list[Entry]] = defaultdict(list)
        self.by_name: dict[str, list[Entry]] = defaultdict(list)  # whole name, short name
        self.by_base: dict[str, list[Entry]] = defaultdict(list)  # an area's name without its prefix
        self.agencies_in: dict[int, list[Entry]] = defaultdict(list)
        self._named: dict[str, _Named] = {}
        self._units: dict[int, Unit] = {}
        self._build()

    # -- index -------------------------------------------------------------------------------------

    def _build(self) -> None:
        rows = Unit.objects.values_list(
            "id", "code", "name", "short_name", "kind", "level", "valid_from", "valid_to", "parent_id", "path"
        )
        for pk, code, name, short_name, kind, level, valid_from, valid_to, parent_id, path in rows.iterator(
            chunk_size=5000
        ):
            entry = Entry(pk, code, name, kind, level, valid_from, valid_to, parent_id, path)
            self.entries[pk] = entry
            self.by_code[fold(code)].append(entry)
            for written in {name, short_name} - {""}:
                self.by_name[compact(written)].append(entry)
                if level != UnitLevel.AGENCY:
                    base, _kinds = _strip_area_prefix(fold(written))
                    self.by_base[compact(base)].append(entry)
            if level == UnitLevel.AGENCY and parent_id is not None:
                self.agencies_in[parent_id].append(entry)
        self._fuzzy_names = sorted(
            {compact(entry.name): entry.name for entry in self.entries.values()}.items()
        )

    # -- resolving ---------------------------------------------------------------------------------

    def resolve(self, text: str, on: date) -> Unit:
        """The unit `text` names that is valid on `on`.

        Raises DomainError "unit_name.unknown" (nothing of that name or code; close names are
        suggested), "unit_name.not_on_date" (units of that name exist, but not on `on`: says when
        they did) or "unit_name.ambiguous" (several: lists them, to write the code in brackets).
        """
        named = self._named.get(text)
        if named is None:
            named = self._named[text] = self._name(normalize(text))
        if not named.candidates:
            raise self._unknown(normalize(text), named.suggestions)
        valid = [entry for entry in named.candidates if entry.valid_on(on)]
        if not valid:
            raise self._not_on_date(named.candidates, on)
        if len(valid) > 1:
            raise self._ambiguous(normalize(text), valid)
        return self.unit(valid[0].id)

    def unit(self, pk: int) -> Unit:
        """The Unit of an id, fetched once."""
        unit = self._units.get(pk)
        if unit is None:
            unit = self._units[pk] = Unit.objects.get(pk=pk)
        return unit

    def _name(self, text: str) -> _Named:
        candidates = self._candidates(text)
        if not candidates:
            return _Named((), self._suggest(text))
        if self.within_path:
            inside = [entry for entry in candidates if entry.path.startswith(self.within_path)]
            candidates = inside or candidates
        return _Named(tuple(sorted(set(candidates), key=lambda entry: (entry.valid_from, entry.id))))

    def _candidates(self, text: str) -> list[Entry]:
        """Every unit `text` may name, on any date."""
        if not text:
            return []
        found = self._direct(text)
        if found:
            return found
        for separator in _PARENT_SEPARATORS:
            name, sep, parent = text.partition(separator)
            if sep and name.strip() and parent.strip():
                ancestors = {entry.id for entry in self._candidates(parent.strip())}
                found = [entry for entry in self._direct(name.strip()) if entry.ancestor_ids() & ancestors]
                if found:
                    return found
        return self._by_padded_code(text)

    def _direct(self, text: str) -> list[Entry]:
        """Units `text` names by itself: a code, "Name (code)", or a name (with a note in brackets)."""
        by_code = self.by_code.get(fold(text))
        if by_code:
            return list(by_code)
        match = _CODE_IN_BRACKETS.match(text)
        if match and (by_code := self.by_code.get(fold(match.group(2)))):
            return list(by_code)
        found = self._by_name(text)
        if not found and match:  # "Xã Tân Lập (cũ)": the brackets were a note, not a code
            found = self._by_name(match.group(1))
        return found

    def _by_name(self, text: str) -> list[Entry]:
        """Units whose name is `text` (whole, or an area's name after its prefix, or an agency's)."""
        whole = self.by_name.get(compact(text))
        if whole:
            return list(whole)
        folded = fold(text)
        for pattern, agency_kinds, party_areas in _AGENCY_RES:
            match = pattern.match(folded)
            if match and folded[match.end() :].strip():
                return self._agencies(folded[match.end() :].strip(), agency_kinds, party_areas)
        return self._areas(folded, None)

    def _areas(self, folded: str, kinds: frozenset[str] | None) -> list[Entry]:
        """Areas named `folded` (its prefix, if any, narrowing `kinds`)."""
        base, prefix_kinds = _strip_area_prefix(folded)
        if prefix_kinds is not None:
            found = self._of_kinds(
                base, prefix_kinds if kinds is None else (kinds & prefix_kinds) or prefix_kinds
            )
            if found:
                return found
            # "Quán Thánh" is a name, not "Quận Thánh": a word read as a prefix may be the name's own.
        return self._of_kinds(folded, kinds)

    def _of_kinds(self, base: str, kinds: frozenset[str] | None) -> list[Entry]:
        return [
            entry for entry in self.by_base.get(compact(base), ()) if kinds is None or entry.kind in kinds
        ]

    def _agencies(self, rest: str, agency_kinds: frozenset[str], areas: frozenset[str] | None) -> list[Entry]:
        """The agencies of `agency_kinds` in the areas named by `rest`; an area without one stands
        for itself."""
        if K.MASS_MOBILIZATION_COMMITTEE in agency_kinds:
            for pattern, party_areas in _PARTY_RES:  # "Ban Dân vận Huyện ủy Yên Khánh"
                match = pattern.match(rest)
                if match and rest[match.end() :].strip():
                    rest, areas = rest[match.end() :].strip(), party_areas
                    break
        found: list[Entry] = []
        for area in self._areas(rest, areas):
            agencies = [entry for entry in self.agencies_in.get(area.id, ()) if entry.kind in agency_kinds]
            found.extend(agencies or [area])
        return found

    def _by_padded_code(self, text: str) -> list[Entry]:
        """A code that lost its leading zeros in a number cell ("4" for "00004")."""
        if not text.isdigit():
            return []
        for width in (2, 3, 5):
            found = self.by_code.get(text.zfill(width)) if len(text) < width else None
            if found:
                return list(found)
        return []

    # -- messages ----------------------------------------------------------------------------------

    def _suggest(self, text: str) -> tuple[str, ...]:
        query = compact(_CODE_IN_BRACKETS.sub(r"\1", text)) or compact(text)
        if not query:
            return ()
        keys = [key for key, _name in self._fuzzy_names]
        matches = process.extract(
            query, keys, scorer=fuzz.ratio, limit=MAX_SUGGESTIONS, score_cutoff=SUGGESTION_SCORE
        )
        return tuple(self._fuzzy_names[index][1] for _key, _score, index in matches)

    def _unknown(self, text: str, suggestions: Iterable[str]) -> DomainError:
        suggestions = list(suggestions)
        if suggestions:
            return DomainError(
                "unit_name.unknown",
                _("No unit is named or coded “%(text)s”. Did you mean: %(suggestions)s?"),
                text=text,
                suggestions="; ".join(suggestions),
            )
        return DomainError("unit_name.unknown", _("No unit is named or coded “%(text)s”."), text=text)

    def _not_on_date(self, candidates: Iterable[Entry], on: date) -> DomainError:
        spans = []
        for entry in candidates:
            if entry.valid_to is not None:
                span = _("%(unit)s existed from %(from)s to %(to)s")
                spans.append(
                    span % {"unit": entry.name, "from": _fmt(entry.valid_from), "to": _fmt(entry.valid_to)}
                )
            else:
                span = _("%(unit)s exists from %(from)s")
                spans.append(span % {"unit": entry.name, "from": _fmt(entry.valid_from)})
        return DomainError(
            "unit_name.not_on_date",
            _("%(units)s; the record is dated %(date)s."),
            units="; ".join(spans),
            date=_fmt(on),
        )

    def _describe(self, entry: Entry) -> str:
        parent = self.entries.get(entry.parent_id) if entry.parent_id is not None else None
        if parent is None:
            return f"{entry.name} ({entry.code})"
        return f"{entry.name} ({entry.code}, {parent.name})"

    def _listed(self, entries: list[Entry]) -> str:
        listed = "; ".join(self._describe(entry) for entry in entries[:MAX_LISTED])
        if len(entries) > MAX_LISTED:
            listed += "; " + _("and %(count)s more") % {"count": len(entries) - MAX_LISTED}
        return listed

    def _ambiguous(self, text: str, entries: list[Entry]) -> DomainError:
        first = entries[0]
        return DomainError(
            "unit_name.ambiguous",
            _("“%(text)s” may be any of %(units)s. Write the code in brackets, e.g. “%(example)s”."),
            text=text,
            units=self._listed(entries),
            example=f"{first.name} ({first.code})",
        )
