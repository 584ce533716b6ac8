"""Benchmarks, run by hand (not in CI): see benchmarks/RESULTS.md."""
