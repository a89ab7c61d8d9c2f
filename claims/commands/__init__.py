"""The `claims` commands, one module per job; `claims.cli` assembles them into one group."""
