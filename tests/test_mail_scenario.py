"""The issue's whole story against a running SMTP server, through the real commands.

Forty low-safety answers in one district, ``flask alerts check`` twice: exactly one alert
to each subscribed official. ``flask digest send`` delivers the digest, and a new
invitation arrives by e-mail.
"""

from __future__ import annotations

from tests.alert_support import BASELINE, baseline, days_ago
from tests.district_support import answer
from tests.mail_support import body


def test_forty_low_safety_answers_alert_once_then_digest_and_invitation(
    app, runner, client, auth, make_project, make_survey, make_account, mailbox
):
    malmi = make_project(name="Malmin tarinat", district="malmi")
    make_survey(code="malmi-1", project_id=malmi, venue="Malmitalo")
    baseline(app, "malmi-1")
    officials = [make_account("official", email=f"virkailija{n}@example.org") for n in (1, 2)]
    admin = make_account("admin", email="admin@example.org")
    # Forty answers in one district in the last days; safety low, the rest as usual.
    answer(app, "malmi-1", BASELINE[:20], days_ago(1), safety=1)
    answer(app, "malmi-1", BASELINE[20:], days_ago(3), safety=2)

    for _run in range(2):
        result = runner.invoke(args=["alerts", "check"])
        assert result.exit_code == 0, result.output
    for official in officials:
        (alert,) = mailbox.to(official)
        assert "Turvallisuus" in body(alert) and "n = 40" in body(alert)
        assert "Yhteenkuuluvuus" not in body(alert)  # belonging did not drop
    assert mailbox.to(admin) == []

    mailbox.clear()
    result = runner.invoke(args=["digest", "send"])
    assert result.exit_code == 0, result.output
    for official in officials:
        (digest,) = mailbox.to(official)
        assert digest["Subject"].strip().startswith("Fiiliksen viikko")
        assert "vastauksia: 40" in body(digest)

    mailbox.clear()
    auth.login(admin)
    token = auth.csrf_token("/admin/invitations")
    client.post(
        "/admin/invitations?lang=en",
        data={"email": "uusi@example.org", "role": "official", "csrf_token": token},
    )
    (invitation,) = mailbox.to("uusi@example.org")
    assert "http://fiilis.test/invite/" in body(invitation)
