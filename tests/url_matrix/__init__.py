"""The URL matrix: every URL pattern of the site, tried by every role on objects in every
position of the tree, against one table of declared expectations (issue #4, part 7).

    patterns.py      walks the URLconf; one stable key per pattern
    scenario.py      the tree, one user per role, objects in every position
    rules.py         roles, positions and the rule functions that compute an expected answer
    expectations.py  the table: one entry per pattern key, naming a rule
    checker.py       coverage check and the runner that compares answers with the rules
"""
