"""Whether the help desk is healthy: readiness, the figures behind it, and their routes."""
