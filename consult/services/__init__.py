"""Business operations: each takes a Session and flushes; the caller commits, once."""
