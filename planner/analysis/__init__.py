"""Analyses on top of the scheduler: minimum budgets, frontier, marginal values, cost risk."""
