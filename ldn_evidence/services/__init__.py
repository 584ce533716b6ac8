"""Services: plain functions on a Session (keyword-only), never committing."""
