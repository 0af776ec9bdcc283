"""Printed documents: HTML from the package's own templates, laid out by WeasyPrint, cached.

``render.py`` holds the one ``render_pdf`` and the cache; ``guide.py`` builds the
Trainers' Reference Guide. Lao text gets line-break opportunities from
``curriculum.lao`` before layout.
"""
