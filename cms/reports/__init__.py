"""Authors' reports in the Wagtail admin: lesson performance and path drop-off."""
