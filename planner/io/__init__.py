"""Data in and out: the workbook format, reading and validating it, writing it, scenario files."""
