"""The shipped seed dataset (installed as ldn_evidence._data)."""
