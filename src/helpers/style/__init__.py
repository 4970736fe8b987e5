"""Machine style: how much a text's style resembles instruction-tuned language-model output. A style signal, not
proof: a human can write like this, and a model can be prompted not to.

- ``machine_style(docs)`` -> ``doc_id``, ``machine_style`` (0-1), ``style_evidence``, ``reason``;
- ``machine_style_evidence(docs, top=5)`` -> the features that moved each score, one row per document and feature;
- ``feature_table(docs)`` -> every stylometric feature (``features``), ``load_model()`` -> the shipped model
  (``model``), ``fit`` -> loading labelled data, fitting, validation with generators and domains held out.

Modules: ``features`` (stylometric features of one document), ``ngrams`` (word and skeleton n-grams and their
selection), ``model`` (the JSON model and scoring), ``fit`` (training and validation).
"""

from .features import FEATURE_DESCRIPTIONS, LAYOUT_FEATURES, MODEL_FEATURES, feature_table
from .model import StyleModel, load_model, machine_style, machine_style_evidence

__all__ = [
    "machine_style",
    "machine_style_evidence",
    "feature_table",
    "load_model",
    "StyleModel",
    "MODEL_FEATURES",
    "LAYOUT_FEATURES",
    "FEATURE_DESCRIPTIONS",
]
