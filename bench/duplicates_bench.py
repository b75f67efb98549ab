"""Benchmark: petitions with similar content, through the LSH keys against a brute-force scan.

    .venv/bin/python bench/duplicates_bench.py                              # 20,000 originals, 2,000 queries
    .venv/bin/python bench/duplicates_bench.py --originals 5000 --queries 500 --brute 50

No database: the originals (from petition_corpus) are indexed in memory the way the ContentKey table
indexes them, key → petition ids, and each query is answered the way the intake check answers it:
keys of the query, petitions sharing at least one key ranked by the number shared, the first --top
rescored with `score` and kept at or above THRESHOLD. Prints the index size (keys per text, postings
per key), the per-query time (p50/p95, keys, candidates and rescoring included), recall and precision
against the labels (overall and per kind of query), then the same for a brute-force `score` of the
query against every original on the first --brute queries, and the ratio of the two times.

Recall: duplicates whose original is among the matches. Precision: matches that are the labelled
original, among all matches of all queries (every match of a hard negative is a false one).
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import NamedTuple

from danvan.petitions import similarity
from petition_corpus import NEGATIVES, labelled_set


def percentile(samples: Sequence[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[max(0, int(len(ordered) * share + 0.5) - 1)]


class Indexed(NamedTuple):
    found: list[int]  # ids scoring at or above THRESHOLD
    shared: Counter[int]  # id → keys shared, for every id sharing at least one
    postings: int  # ids read from the index
    times: tuple[float, float, float]  # ms: keys, candidates (lookup and ranking), rescoring


def indexed_matches(text: str, index: dict[int, list[int]], stored: list[str], top: int) -> Indexed:
    started = time.perf_counter()
    keys = similarity.signature(text)
    keyed = time.perf_counter()
    shared: Counter[int] = Counter()
    postings = 0
    for key in keys:
        ids = index.get(key, ())
        postings += len(ids)
        shared.update(ids)
    ranked = sorted(shared.items(), key=lambda item: (-item[1], -item[0]))[:top]  # newest first on ties
    looked_up = time.perf_counter()
    query = similarity.match_text(text)
    found = [i for i, _n in ranked if similarity.score(query, stored[i]) >= similarity.THRESHOLD]
    done = time.perf_counter()
    return Indexed(
        found,
        shared,
        postings,
        (1000 * (keyed - started), 1000 * (looked_up - keyed), 1000 * (done - looked_up)),
    )


def brute_matches(text: str, stored: list[str]) -> list[int]:
    query = similarity.match_text(text)
    return [i for i, other in enumerate(stored) if similarity.score(query, other) >= similarity.THRESHOLD]


def quality(results: list[list[int]], labels: list[int | None]) -> tuple[float, float, int, int]:
    """(recall, precision, true matches, false matches)."""
    true = sum(
        1 for found, label in zip(results, labels, strict=True) if label is not None and label in found
    )
    false = sum(len(found) for found in results) - true
    positives = sum(1 for label in labels if label is not None)
    return true / max(1, positives), true / max(1, true + false), true, false


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--originals", type=int, default=20_000)
    parser.add_argument("--queries", type=int, default=2_000)
    parser.add_argument("--brute", type=int, default=100, help="queries also answered by brute force")
    parser.add_argument("--top", type=int, default=50, help="candidates rescored per query")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    started = time.perf_counter()
    originals, queries = labelled_set(args.originals, args.seed, args.queries)
    negatives = sum(1 for _text, label, _how in queries if label is None)
    print(
        f"corpus: {len(originals)} originals, {len(queries)} queries ({negatives} hard negatives) "
        f"in {time.perf_counter() - started:.1f} s"
    )
    print(
        f"scheme: {similarity.BANDS} bands of {similarity.ROWS} word pairs, "
        f"threshold {similarity.THRESHOLD}, top {args.top} rescored"
    )

    started = time.perf_counter()
    stored = [similarity.match_text(text) for text in originals]  # what the petition row keeps
    index: dict[int, list[int]] = defaultdict(list)
    keys_per_text = []
    for i, text in enumerate(originals):
        keys = similarity.signature(text)
        keys_per_text.append(len(keys))
        for key in keys:
            index[key].append(i)
    built = time.perf_counter() - started
    sizes = [len(ids) for ids in index.values()]
    print(
        f"index: {statistics.mean(keys_per_text):.1f} keys per text, {len(index)} distinct keys, "
        f"{statistics.mean(sizes):.2f} ids per key (largest {max(sizes)}), "
        f"built in {built:.1f} s ({built / len(originals) * 1000:.2f} ms per text)"
    )

    labels = [label for _text, label, _how in queries]
    answers = []
    for text, _label, _how in queries:
        similarity._profile.cache_clear()  # nothing left from earlier queries
        answers.append(indexed_matches(text, index, stored, args.top))
    results = [a.found for a in answers]
    times = [sum(a.times) for a in answers]
    recall, precision, true, false = quality(results, labels)
    print(
        f"indexed:     p50 {statistics.median(times):7.2f} ms  p95 {percentile(times, 0.95):7.2f} ms  "
        f"recall {recall:.4f}  precision {precision:.4f}  ({true} true, {false} false matches)"
    )
    for step, name in enumerate(("keys of the query", "candidates (in memory)", f"rescoring (≤ {args.top})")):
        step_times = [a.times[step] for a in answers]
        p50, p95 = statistics.median(step_times), percentile(step_times, 0.95)
        print(f"  {name:24} p50 {p50:6.2f} ms  p95 {p95:6.2f} ms")

    candidates = [len(a.shared) for a in answers]
    postings = [a.postings for a in answers]
    print(
        f"  candidates per query (sharing a key): mean {statistics.mean(candidates):.1f}, "
        f"p95 {percentile(candidates, 0.95):.0f}, max {max(candidates)}; "
        f"ids read per query: mean {statistics.mean(postings):.1f}, p95 {percentile(postings, 0.95):.0f}"
    )
    # what does not come from the duplicated original grows with the number of petitions
    others = [len(a.shared) - (label in a.shared) for a, label in zip(answers, labels, strict=True)]
    others_read = [a.postings - a.shared.get(label, 0) for a, label in zip(answers, labels, strict=True)]
    scale = 1_000_000 / len(originals)
    other, other_read = statistics.mean(others), statistics.mean(others_read)
    other_read_p95 = percentile(others_read, 0.95)
    print(
        f"  other petitions among them: mean {other:.1f} ({other_read:.1f} ids read); at 1,000,000 petitions "
        f"~{other * scale:.0f} (~{other_read * scale:.0f} ids read, p95 ~{other_read_p95 * scale:.0f})"
    )
    positives = [(a, label) for a, label in zip(answers, labels, strict=True) if label is not None]
    sharing = sum(1 for a, label in positives if label in a.shared)
    print(f"  duplicates sharing a key with their original: {sharing / max(1, len(positives)):.4f}")
    by_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for (_text, label, how), found in zip(queries, results, strict=True):
        counts = by_kind[how]
        counts[0] += 1
        counts[1] += (label in found) if label is not None else bool(found)
    print(
        "  found, per kind of duplicate: "
        + ", ".join(f"{how} {n_ok / n:.3f}" for how, (n, n_ok) in by_kind.items() if how not in NEGATIVES)
    )
    print(
        "  matched anything, per kind of hard negative: "
        + ", ".join(f"{how} {n_ok / n:.3f}" for how, (n, n_ok) in by_kind.items() if how in NEGATIVES)
    )

    sample = queries[: args.brute]
    if not sample:
        return
    brute_results, brute_times = [], []
    for text, _label, _how in sample:
        similarity._profile.cache_clear()
        started = time.perf_counter()
        brute_results.append(brute_matches(text, stored))
        brute_times.append((time.perf_counter() - started) * 1000)
    sample_labels = labels[: len(sample)]
    b_recall, b_precision, b_true, b_false = quality(brute_results, sample_labels)
    i_recall, i_precision, _t, _f = quality(results[: len(sample)], sample_labels)
    i_p50, i_p95 = statistics.median(times[: len(sample)]), percentile(times[: len(sample)], 0.95)
    b_p50, b_p95 = statistics.median(brute_times), percentile(brute_times, 0.95)
    print(
        f"brute force: p50 {b_p50:7.2f} ms  p95 {b_p95:7.2f} ms  "
        f"recall {b_recall:.4f}  precision {b_precision:.4f}  ({b_true} true, {b_false} false matches; "
        f"the first {len(sample)} queries against all {len(originals)})"
    )
    print(
        f"  indexed, same queries: p50 {i_p50:.2f} ms  p95 {i_p95:.2f} ms  "
        f"recall {i_recall:.4f}  precision {i_precision:.4f}"
    )
    print(f"  brute / indexed: {b_p50 / i_p50:.0f}x at p50, {b_p95 / i_p95:.0f}x at p95")


if __name__ == "__main__":
    main()
