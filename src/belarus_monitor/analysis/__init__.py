"""Analysis: frames in, frames out (rates, claims by country, a country's profile)."""
