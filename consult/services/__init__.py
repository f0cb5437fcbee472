"""Business operations. Each takes a Session, flushes, and never commits: the caller commits once."""
