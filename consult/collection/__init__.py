"""How answers arrive and are stored: the respondent pages (/s, /i, /resume), interviewer and
paper entry, the one answering flow they share, skip logic as the server judges it, responses,
drafts (save and resume), invitation tokens and their single use, imports from a sheet, and
synthetic responses. Models: Response, Answer, Invitation, InvitationUse, Draft.

May import: ``consult.accounts``, ``consult.surveys``, ``consult.spreadsheets`` and the foundation.
Never another feature or the shell.
"""
