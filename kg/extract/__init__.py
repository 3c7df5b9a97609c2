"""Extraction of methods, models, datasets and tasks (and their relations) from abstracts.

``Extractor(model).extract(papers)`` is the public API; the rule components live one per
module and register themselves with spaCy when this package is imported.
"""

from kg.extract.extractor import CODE_VERSION, Extractor, build_pipeline

__all__ = ["CODE_VERSION", "Extractor", "build_pipeline"]
