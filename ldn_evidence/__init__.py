"""ldn-evidence: an evidence-citation reference database for pharmacists."""

__version__ = "0.1.0"
