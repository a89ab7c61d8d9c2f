"""The Slack front door: a thin layer of listeners and Block Kit over `claims`."""
