"""The learned entity filter: its training maths, its stored model, and what it changes."""

from __future__ import annotations

import json

import numpy as np

from kg.extract.entity_filter import FILTER_FILE, load_filter, probability
from kg.extract.features import FEATURES
from kg.extract.resources import DATA_DIR
from kg.extract.train_filter import best_threshold, f1_at, fit, predict


def test_fit_learns_the_sign_of_a_separating_feature():
    rng = np.random.default_rng(0)
    n = 400
    x = np.zeros((n, len(FEATURES)))
    good = rng.random(n) < 0.5
    x[:, FEATURES.index("src_gazetteer_gazetteer")] = good
    x[:, FEATURES.index("head_weak")] = ~good
    x[:, FEATURES.index("bias")] = 1.0
    y = good.astype(float)
    w = fit(x, y)
    assert w[FEATURES.index("src_gazetteer_gazetteer")] > 1.0
    assert w[FEATURES.index("head_weak")] < -1.0
    p = predict(w, x)
    assert (p[good] > 0.5).all() and (p[~good] < 0.5).all()
    t, f1 = best_threshold(p, y, n_gold=int(y.sum()))
    assert f1 == f1_at(p, y, int(y.sum()), t) == 1.0


def test_shipped_model_matches_the_features_and_is_a_probability():
    data = load_filter()
    assert data is not None, f"{DATA_DIR / FILTER_FILE} missing"
    assert data["features"] == list(FEATURES)
    for mode in ("full", "rules"):
        model = data["models"][mode]
        assert len(model["weights"]) == len(FEATURES)
        assert 0.0 < model["threshold"] < 1.0
        p = probability(model["weights"], [0.0] * (len(FEATURES) - 1) + [1.0])
        assert 0.0 < p < 1.0


def test_stale_model_is_ignored_with_a_warning(tmp_path, recwarn):
    stale = tmp_path / "filter.json"
    stale.write_text(json.dumps({"features": ["x"], "models": {}}), encoding="utf-8")
    assert load_filter(stale) is None
    assert any("retrain" in str(w.message) for w in recwarn)
