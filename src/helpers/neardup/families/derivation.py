"""Who derives from whom inside a family: every member derives from the origin, unless it carries a more original
sibling's additions.

Several rewrites of one original each rewrite the original, not each other, even when two of them happen to word
a sentence alike. A member derives from a sibling only when it carries what the sibling added: the sibling's own
sentences (those the origin does not support), its own names and numbers (those the origin does not mention), or
its wording (word 5-grams the origin does not have). When the original is not in the corpus (the family credits
an outside source), "the origin" is the rest of the family: what no other member has is the sibling's own.
Thresholds: :class:`~.params.LineageParams` (``carried_*``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .context import FamilyContext
from .params import LineageParams

__all__ = ["Carried", "SiblingTest"]


@dataclass(frozen=True)
class Carried:
    """What derivative ``doc_id`` carries of sibling ``sibling``'s additions."""

    doc_id: str
    sibling: str
    sentences: int  # the sibling's own sentences that support one of the derivative's
    own_sentences: int  # the sibling's own sentences
    specifics: tuple[str, ...]  # the sibling's own names and numbers that the derivative mentions
    wording: float  # share of the derivative's 5-grams that are the sibling's own

    def holds(self, p: LineageParams, external: bool = False) -> bool:
        """True when this is enough to say the derivative derives from the sibling. With an ``external`` original,
        what two members share and the rest lack may simply come from the original they both rewrote: then only
        the sibling's wording, or its sentences together with its names and numbers, will do."""
        by_sentences = self.sentences >= p.carried_sentences and self.sentences >= p.carried_share * max(
            self.own_sentences, 1
        )
        by_specifics = len(self.specifics) >= p.carried_specifics and self.sentences >= 1
        by_wording = self.wording >= p.carried_wording
        if external:
            return by_wording or (by_sentences and by_specifics)
        return by_sentences or by_specifics or by_wording

    def strength(self) -> float:
        """For choosing among several carried siblings: sentences and specifics carried, wording weighs most."""
        return self.sentences + len(self.specifics) + 10 * self.wording

    def evidence(self) -> str:
        parts = []
        if self.sentences:
            parts.append(f"{self.sentences} of its {self.own_sentences} own sentences")
        if self.specifics:
            parts.append("its own names and numbers " + ", ".join(self.specifics[:6]))
        if self.wording >= 0.05:
            parts.append(f"{self.wording:.0%} of its wording")
        return f"carries {self.sibling}'s additions: " + "; ".join(parts) if parts else ""


class SiblingTest:
    """The additions test for one family: ``members`` (most original first), its in-corpus ``root`` ("" when the
    original is outside the corpus), the trace context and each member's word 5-gram set (``shingles``)."""

    def __init__(self, ctx: FamilyContext, members: list[str], root: str, shingles: dict, params: LineageParams):
        self.ctx, self.members, self.root, self.shingles, self.p = ctx, members, root, shingles, params
        self._support: dict = {}  # (x, y) -> best support of each of x's sentences in y

    def _best(self, x: str, y: str) -> np.ndarray:
        key = (x, y)
        if key not in self._support:
            self._support[key], self._support[(y, x)] = self.ctx.matcher.support(x, y)
        return self._support[key]

    def _reference(self, m: str, q: str) -> list[str]:
        """What counts as the origin when asking whether ``m`` carries ``q``'s additions."""
        if self.root:
            return [self.root]
        return [o for o in self.members if o not in (m, q)]

    def carried(self, m: str, q: str) -> Carried:
        """What ``m`` carries of ``q``'s additions (``q``'s material that the origin does not have)."""
        ref = self._reference(m, q)
        thr = self.ctx.matcher.threshold
        n_q = len(self.ctx.matcher.rows(q))
        in_ref = np.zeros(n_q, dtype=bool)
        for o in ref:
            in_ref |= self._best(q, o) >= thr
        own = ~in_ref
        in_m = self._best(q, m) >= thr if n_q else np.zeros(0, dtype=bool)
        spec = self.ctx.spec
        ref_spec = set().union(*(spec.get(o, set()) for o in ref)) if ref else set()
        own_spec = spec.get(q, set()) - ref_spec
        shared_spec = tuple(sorted(own_spec & spec.get(m, set()), key=lambda s: (s.startswith("#"), s)))
        sm = self.shingles.get(m, set())
        ref_sh = set().union(*(self.shingles.get(o, set()) for o in ref)) if ref else set()
        wording = len((sm & self.shingles.get(q, set())) - ref_sh) / len(sm) if sm else 0.0
        return Carried(m, q, int((own & in_m).sum()), int(own.sum()), shared_spec, wording)

    def sibling_parent(self, m: str, candidates: list[str]) -> Carried | None:
        """The more original sibling among ``candidates`` whose additions ``m`` carries most, or None."""
        tested = (self.carried(m, q) for q in candidates if q != self.root)
        found = [c for c in tested if c.holds(self.p, external=not self.root)]
        return max(found, key=lambda c: (c.strength(), -candidates.index(c.sibling))) if found else None
