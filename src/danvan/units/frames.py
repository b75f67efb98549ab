"""The "as it is now" frame: each unit, current or past, mapped to the unit of today's tree that
its records roll up to (legal-rules.md §7, design implication 3).

Today's tree holds the units valid today (a unit that starts after today is not in it yet) whose
ancestors are all valid today. A unit of today's tree is itself; a past unit follows its single
or default successor; any other unit goes to where its parent went ("ancestor"), and reports show
its records there as "formerly <unit>".

Every change to units or successions marks the frame stale in the same transaction
(`frame_mark_stale`); reports call `frame_ensure(today)`, which rebuilds it when it is stale or was
built for another day (a unit whose validity ends today is current until tomorrow).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction

from .models import FrameState, FrameVia, Succession, Unit, UnitFrame


@dataclass(frozen=True)
class Placement:
    now_id: int
    via: str


def frame_compute(today: date) -> dict[int, Placement]:
    """unit id -> where it rolls up today. Pure over two reads; every unit gets a place."""
    units = {
        pk: (parent_id, valid_from <= today and (valid_to is None or valid_to >= today))
        for pk, parent_id, valid_from, valid_to in Unit.objects.values_list(
            "pk", "parent_id", "valid_from", "valid_to"
        )
    }
    successors: dict[int, list[tuple[int, bool]]] = {}
    for pred, succ, default in Succession.objects.values_list("predecessor_id", "successor_id", "is_default"):
        successors.setdefault(pred, []).append((succ, default))
    placed: dict[int, Placement] = {}

    def single_successor(pk: int) -> int | None:
        options = successors.get(pk, [])
        defaults = [succ for succ, default in options if default]
        if defaults:
            return defaults[0]
        return options[0][0] if len(options) == 1 else None

    def place(pk: int, visiting: frozenset[int]) -> Placement:
        if pk in placed:
            return placed[pk]
        parent_id, current = units[pk]
        parent = place(parent_id, visiting | {pk}) if parent_id is not None else None
        if current and (parent is None or parent.now_id == parent_id):
            result = Placement(pk, FrameVia.SELF)
        else:
            successor = single_successor(pk)
            if successor is not None and successor not in visiting and not current:
                after = place(successor, visiting | {pk})
                # A successor that itself went up to an ancestor takes this unit's records there
                # too: they are shown there as "formerly <this unit>" as well.
                via = FrameVia.ANCESTOR if after.via == FrameVia.ANCESTOR else FrameVia.SUCCESSOR
                result = Placement(after.now_id, via)
            elif parent is not None:
                result = Placement(parent.now_id, FrameVia.ANCESTOR)
            else:  # a past root with nowhere to go stays itself rather than vanish
                result = Placement(pk, FrameVia.SELF)
        placed[pk] = result
        return result

    for pk in units:
        place(pk, frozenset())
    return placed


@transaction.atomic
def frame_rebuild(today: date) -> int:
    """Replace the frame with the one for `today`; returns the number of units placed."""
    placed = frame_compute(today)
    paths = dict(Unit.objects.values_list("pk", "path"))
    UnitFrame.objects.all().delete()
    UnitFrame.objects.bulk_create(
        (
            UnitFrame(
                unit_id=pk,
                unit_path=paths[pk],
                now_unit_id=p.now_id,
                now_path=paths[p.now_id],
                via=p.via,
            )
            for pk, p in placed.items()
        ),
        batch_size=2000,
    )
    FrameState.objects.all().delete()
    FrameState.objects.create(built_on=today)
    return len(placed)


def frame_mark_stale() -> None:
    """Called by every service that changes units or successions, inside its transaction."""
    FrameState.objects.all().delete()


def frame_ensure(today: date) -> None:
    state = FrameState.objects.first()
    if state is None or state.built_on != today:
        with transaction.atomic():
            # One rebuild at a time; the others wait and find it done.
            list(FrameState.objects.select_for_update().all())
            state = FrameState.objects.first()
            if state is None or state.built_on != today:
                frame_rebuild(today)
