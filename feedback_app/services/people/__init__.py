"""Staff: ``accounts`` (sign-in, roles, sessions), ``invitations`` (joining and password
links) and ``api_tokens`` (bearer tokens for the district feed).
"""
