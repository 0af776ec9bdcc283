"""Service functions: one module per area. Each takes the database session (`db`) and the
acting user (an `Actor`)."""
