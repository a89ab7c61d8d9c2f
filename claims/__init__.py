"""claims: a ledger of dated, attributed claims and a checker for stance shifts."""

__version__ = "0.1.0"
