"""A resident's answer: ``submissions.submit`` is the one path every submission takes.

``submissions`` checks a typed ``AnswerSubmission`` against the survey and returns a
``SubmissionOutcome``; ``submission_sql`` holds the SQLAlchemy Core statements it writes with;
``responses`` keeps the ORM helpers for demo data, tests and comment retention.
"""
