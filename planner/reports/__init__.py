"""What people read: the status report, the plan workbook, the one-page brief."""
