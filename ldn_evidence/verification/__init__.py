"""verification layer (pure: no database, no HTTP)."""
