"""The PubMed edge: `parser` (bytes in, records out) and `client` (HTTP)."""
