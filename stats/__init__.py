"""Approval-time statistics: summary rows kept with every step, and the read-side queries over them."""
