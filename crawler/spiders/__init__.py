"""Spiders: one generic portal spider; platform bases only where a CMS family needs one."""
