"""Service functions: one module per area. Each takes the session and the acting user."""
