"""Reference data every installation needs, and a fictitious demo data set."""
