"""Open data: what a proposal's or the organisation's consultations hold that is public, as
CSV and JSON files streamed in batches, a pol.is-compatible export, and the thread as one
JSON-LD document (docs/open-data.md describes every file)."""
