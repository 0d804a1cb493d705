"""The data models recover reads (template catalogue, OCR confusions, output schema), shipped inside the package.

The repository keeps them at its top level (``models/``); the build maps this folder to ``recover.models``
(setup.py), and the code reads them through ``importlib.resources`` (``recover.catalogue.models_dir``).
"""
