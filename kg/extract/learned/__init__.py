"""The learned extractor: rule and noun-phrase candidates, decided by trained classifiers.

``candidates`` finds spans, ``features`` describes them, ``linear`` scores them, ``decode``
turns scores into entities, roles and relations, ``bundle`` loads a trained model from
``kg/models``, and ``component`` is the spaCy component a pipeline runs. Training lives in
:mod:`kg.learn`.
"""
