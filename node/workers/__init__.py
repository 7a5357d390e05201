"""Background workers: inbox processing and delivery."""
