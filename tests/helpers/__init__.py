"""Helpers shared by test modules of several folders (import them; never import from a
test module). Fixtures live in the conftest.py files."""
