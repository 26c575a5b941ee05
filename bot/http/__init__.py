"""The help desk's one HTTP server: what it serves to the outside (webhooks, health)."""
