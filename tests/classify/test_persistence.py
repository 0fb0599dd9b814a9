import json

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from analyzer.classify.persistence import ModelIntegrityError, load_model, save_model


@pytest.fixture()
def saved(tmp_path):
    model = LogisticRegression().fit(np.array([[0.0], [1.0], [2.0], [3.0]]), [0, 0, 1, 1])
    return save_model(model, tmp_path / "m", {"task": "demo", "labels": [0, 1]}), model


def test_round_trip(saved):
    folder, model = saved
    loaded, sidecar = load_model(folder)
    assert sidecar["task"] == "demo" and len(sidecar["sha256"]) == 64
    assert {"analyzer", "scikit-learn", "spacy"} <= set(sidecar["versions"])
    assert np.allclose(loaded.predict_proba([[1.5]]), model.predict_proba([[1.5]]))


def test_tampered_file_is_refused(saved):
    folder, _ = saved
    with (folder / "model.joblib").open("ab") as handle:
        handle.write(b"\x00")
    with pytest.raises(ModelIntegrityError, match="does not match its sidecar") as info:
        load_model(folder)
    assert info.value.code == "AZ401"


def test_missing_sidecar_and_escaping_path_are_refused(saved):
    folder, _ = saved
    sidecar = json.loads((folder / "model.json").read_text())
    sidecar["file"] = "../elsewhere.joblib"
    (folder / "model.json").write_text(json.dumps(sidecar))
    with pytest.raises(ModelIntegrityError, match="inside"):
        load_model(folder)
    (folder / "model.json").unlink()
    with pytest.raises(ModelIntegrityError, match="sidecar"):
        load_model(folder)
