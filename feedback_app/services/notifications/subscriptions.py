"""Who receives which e-mail: officials follow districts, artists their own projects.

An official follows every target district until they choose some on the account page
(``Account.chosen_districts``); an artist follows the projects they are a member of.
``alert_mail`` and ``digest_mail`` switch each kind of message off (account page or the
unsubscribe link in every message).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from feedback_app.extensions import db
from feedback_app.models import Account, District, Project, Role, district_follows

KINDS = ("alerts", "digest")


def all_districts() -> list[District]:
    """The target districts an official can follow: those with grant projects."""
    has_project = select(Project.id).where(Project.district_id == District.id).exists()
    return list(db.session.scalars(select(District).where(has_project).order_by(District.name_fi)))


def followed_district_ids(account: Account) -> set[int]:
    """The districts whose figures this official receives."""
    if not account.chosen_districts:
        return {district.id for district in all_districts()}
    return set(
        db.session.scalars(
            select(district_follows.c.district_id).where(
                district_follows.c.account_id == account.id
            )
        )
    )


def _wants(account: Account, kind: str) -> bool:
    """Whether the account receives ``kind`` ("alerts" or "digest") at all."""
    return account.active and (account.alert_mail if kind == "alerts" else account.digest_mail)


def officials_following(district_id: int, kind: str) -> list[Account]:
    """Active officials who follow the district and receive ``kind``."""
    officials = db.session.scalars(
        select(Account).where(Account.role == Role.OFFICIAL).order_by(Account.id)
    )
    return [
        official
        for official in officials
        if _wants(official, kind) and district_id in followed_district_ids(official)
    ]


def artists_of(project_id: int, kind: str) -> list[Account]:
    """Active artists of the project who receive ``kind``."""
    project = db.session.get(Project, project_id)
    members = db.session.scalars(
        select(Account)
        .where(Account.role == Role.ARTIST, Account.projects.contains(project))
        .order_by(Account.id)
    )
    return [artist for artist in members if _wants(artist, kind)]


@dataclass(frozen=True)
class Choices:
    """What the account page saves."""

    language: str
    alerts: bool
    digest: bool
    chosen_districts: bool = False
    district_ids: tuple[int, ...] = ()


def save_choices(account_id: int, choices: Choices) -> None:
    """Store an account's e-mail language and subscriptions."""
    from feedback_app.services.notifications.mailer import mail_language

    account = db.session.get(Account, account_id)
    account.language = mail_language(choices.language)
    account.alert_mail = choices.alerts
    account.digest_mail = choices.digest
    if account.role == Role.OFFICIAL:
        known = {district.id for district in all_districts()}
        account.chosen_districts = choices.chosen_districts
        db.session.execute(
            district_follows.delete().where(district_follows.c.account_id == account.id)
        )
        chosen = sorted(set(choices.district_ids) & known) if choices.chosen_districts else []
        for district_id in chosen:
            db.session.execute(
                district_follows.insert().values(account_id=account.id, district_id=district_id)
            )
    db.session.commit()


def unsubscribe(account_id: int, kind: str) -> bool:
    """Switch ``kind`` off for the account; False when there is no such account."""
    account = db.session.get(Account, account_id)
    if account is None or kind not in KINDS:
        return False
    if kind == "alerts":
        account.alert_mail = False
    else:
        account.digest_mail = False
    db.session.commit()
    return True
