"""The catalogue's flag, requirement and sufficiency tests, evaluated all at once.

A condition tests one feature (a number against bounds, whether a number is known, a
category's value, the qualifications held); a group holds where all of its ``when``
conditions hold and, if it has any, at least one of its ``when_any``. The catalogue has 67
conditions in 24 groups. Tested one by one, each cost a few numpy calls of 1-3 us whatever
the batch size, about 0.4 ms of the 1.4 ms a single profile took to score (the app's every
keystroke); here each kind of test is one array operation over all its conditions, and
every group one matrix product over the conditions' (n, C) truth table.

Numeric tests on unknown (NaN) values are false, as every comparison with NaN is.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from gtmcompass.model.catalogue import Condition
from gtmcompass.scoring.features import CATEGORIES, QUALIFICATION_BIT, SET_FEATURE, Features

# Tests of these read the play or side being judged (``extra``), not the profile.
PURSUED = ("play", "side")


class ConditionTable:
    """Conditions in a fixed order; ``holds`` gives their (n, C) truth table."""

    def __init__(self, conditions: Sequence[Condition]) -> None:
        self.size = len(conditions)
        kinds: dict[str, list[int]] = {"known": [], "set": [], "number": []}
        categories: dict[str, list[int]] = {}
        for k, c in enumerate(conditions):
            if c.known is not None:
                kinds["known"].append(k)
            elif c.feature == SET_FEATURE:
                kinds["set"].append(k)
            elif c.feature in CATEGORIES:
                categories.setdefault(c.feature, []).append(k)
            else:
                kinds["number"].append(k)
        # Every numeric feature any test reads, gathered into one (n, F) block per call.
        read = [conditions[k].feature for k in (*kinds["known"], *kinds["number"])]
        self.numeric_features: tuple[str, ...] = tuple(dict.fromkeys(read))
        column = {name: i for i, name in enumerate(self.numeric_features)}

        self.known_at = np.array(kinds["known"], dtype=np.intp)
        self.known_of = np.array([column[conditions[k].feature] for k in kinds["known"]],
                                 dtype=np.intp)
        self.known_want = np.array([bool(conditions[k].known) for k in kinds["known"]])

        self.number_at = np.array(kinds["number"], dtype=np.intp)
        self.number_of = np.array([column[conditions[k].feature] for k in kinds["number"]],
                                  dtype=np.intp)
        # Each bound as a value and whether the test has it: an absent bound holds, a present
        # one is compared (so NaN fails it and an infinite value is compared as it is).
        self.bounds = []
        for op, attr in ((np.less, "below"), (np.less_equal, "at_most"),
                         (np.greater_equal, "at_least"), (np.greater, "above")):
            values = [getattr(conditions[k], attr) for k in kinds["number"]]
            present = np.array([v is not None for v in values], dtype=bool)
            if present.any():
                bound = np.array([0.0 if v is None else float(v) for v in values])
                self.bounds.append((op, bound, ~present))

        self.set_at = np.array(kinds["set"], dtype=np.intp)
        sets = [conditions[k] for k in kinds["set"]]
        self.set_has = np.array([QUALIFICATION_BIT[c.has] if c.has is not None else 0
                                 for c in sets], dtype=np.int64)
        self.set_lacks = np.array([sum({QUALIFICATION_BIT[q] for q in c.lacks}) for c in sets],
                                  dtype=np.int64)
        self.set_some = np.array([sum({QUALIFICATION_BIT[q] for q in c.has_any}) for c in sets],
                                 dtype=np.int64)

        # Per category feature: (vocabulary size, its tests) of which values each test allows.
        self.categories = []
        for name, at in categories.items():
            vocab = CATEGORIES[name]
            allowed = np.array([[v in conditions[k].is_ for k in at] for v in vocab], dtype=bool)
            self.categories.append((name, np.array(at, dtype=np.intp), allowed))
        self.pursued = tuple(c for c in self.categories if c[0] in PURSUED)
        self.profile_categories = tuple(c for c in self.categories if c[0] not in PURSUED)

    def holds(self, features: Features, extra: Mapping[str, np.ndarray] | None = None,
              ) -> np.ndarray:
        """(n, C): where each condition holds. ``extra`` gives the play and side judged (codes
        per profile) for the tests that read them; without it those columns are left False."""
        n = len(features)
        out = np.zeros((n, self.size), dtype=bool)
        if self.numeric_features:
            values = np.empty((n, len(self.numeric_features)))
            for i, name in enumerate(self.numeric_features):
                values[:, i] = features.numeric[name]
            if len(self.known_at):
                out[:, self.known_at] = np.isnan(values[:, self.known_of]) != self.known_want
            if len(self.number_at):
                v = values[:, self.number_of]
                mask = np.ones(v.shape, dtype=bool)
                for op, bound, absent in self.bounds:
                    mask &= op(v, bound) | absent
                out[:, self.number_at] = mask
        if len(self.set_at):
            bits = features.qualification_bits[:, None]
            out[:, self.set_at] = (((bits & self.set_has) == self.set_has)
                                   & ((bits & self.set_lacks) == 0)
                                   & ((self.set_some == 0) | ((bits & self.set_some) != 0)))
        for name, at, allowed in self.profile_categories:
            out[:, at] = allowed[features.codes[name]]
        return self.with_pursued(out, extra) if extra else out

    def with_pursued(self, table: np.ndarray, codes: Mapping[str, np.ndarray | int],
                     ) -> np.ndarray:
        """A copy of ``table`` (from ``holds``) with the play and side tests set: ``codes``
        gives the play's and side's index, per profile (n,) or one for every profile."""
        out = table.copy()
        for name, at, allowed in self.pursued:
            out[:, at] = allowed[codes[name]]
        return out


class GroupTable:
    """Groups of conditions (``when``, ``when_any``); ``holds`` gives their (n, G) masks."""

    def __init__(self, groups: Sequence[tuple[Sequence[Condition], Sequence[Condition]]]) -> None:
        conditions = [c for when, when_any in groups for c in (*when, *when_any)]
        self.condition_list: tuple[Condition, ...] = tuple(conditions)  # the table's columns
        self.conditions = ConditionTable(conditions)
        size = len(conditions)
        # (C, G) float32: a product of the (n, C) truth table with these counts each group's
        # failing ``when`` tests and holding ``when_any`` tests, exactly (at most 67 < 2**24).
        self.every = np.zeros((size, len(groups)), dtype=np.float32)
        self.some = np.zeros((size, len(groups)), dtype=np.float32)
        start = 0
        for g, (when, when_any) in enumerate(groups):
            self.every[start:start + len(when), g] = 1.0
            start += len(when)
            self.some[start:start + len(when_any), g] = 1.0
            start += len(when_any)
        self.any_needed = self.some.any(axis=0)

    def holds(self, features: Features, extra: Mapping[str, np.ndarray] | None = None,
              ) -> np.ndarray:
        """(n, G): where each group holds."""
        return self.of_table(self.conditions.holds(features, extra))

    def of_table(self, table: np.ndarray) -> np.ndarray:
        """(n, G) from the conditions' truth table (``ConditionTable.holds``)."""
        if not self.every.shape[1]:
            return np.zeros((len(table), 0), dtype=bool)
        failing = (~table).astype(np.float32) @ self.every
        held = failing == 0
        if self.any_needed.any():
            held &= (table.astype(np.float32) @ self.some > 0) | ~self.any_needed
        return held
