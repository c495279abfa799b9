"""The pages around the reports.

The index and its front matter, the page templates, and the PDF layout checker.
"""
