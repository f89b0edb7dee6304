"""Surveys: ``lifecycle`` finds, opens and creates them and picks their languages;
``survey_editing`` is the studio's editing; ``survey_codes`` reads public codes from paths.
"""
