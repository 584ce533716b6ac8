"""extract layer (pure: no database, no HTTP)."""
