"""Stage 5: plan, run and check the report notebooks, and publish the site atomically."""
