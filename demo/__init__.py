"""The demo data set and its loader (`manage.py load_demo`). Production code never imports it:
demo accounts are known by a mark in the database (accounts.DemoAccount), not by this code."""
