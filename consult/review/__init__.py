"""Response review: a paged table of responses, a page per response, quality flags (speeding,
straightlining, near-duplicate text, interviewer outliers) and exclusion with a reason.

May import: analysis, collection, accounts, the kernel and below. Never another feature
(authoring, exports, distribution) or the shell.
"""
