"""The Helsinki model's catalogue: grant periods, target districts and grant projects."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Integer, String, Table, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from feedback_app.extensions import db

district_periods = Table(
    "district_periods",
    db.metadata,
    Column("district_id", ForeignKey("districts.id", ondelete="CASCADE"), primary_key=True),
    Column("period_id", ForeignKey("grant_periods.id", ondelete="CASCADE"), primary_key=True),
)


class GrantPeriod(db.Model):
    """A three-year grant period, e.g. 2025–2027."""

    __tablename__ = "grant_periods"
    id: Mapped[int] = mapped_column(primary_key=True)
    start_year: Mapped[int] = mapped_column(Integer, unique=True)
    end_year: Mapped[int] = mapped_column(Integer)

    @property
    def label(self) -> str:
        """Human label such as ``2025–2027``."""
        return f"{self.start_year}–{self.end_year}"


class District(db.Model):
    """A target district of the model, named in Finnish and Swedish."""

    __tablename__ = "districts"
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name_fi: Mapped[str] = mapped_column(String(120))
    name_sv: Mapped[str] = mapped_column(String(120))
    periods: Mapped[list[GrantPeriod]] = relationship(
        secondary=district_periods, order_by=GrantPeriod.start_year
    )

    def name(self, language: str) -> str:
        """The district's name in ``language``; Swedish for ``sv``, Finnish otherwise."""
        return self.name_sv if language == "sv" else self.name_fi


class Project(db.Model):
    """A grant project run by an art institution in one district and period."""

    __tablename__ = "projects"
    __table_args__ = (UniqueConstraint("name", "period_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    institution: Mapped[str] = mapped_column(String(200))
    district_id: Mapped[int] = mapped_column(ForeignKey("districts.id"), index=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("grant_periods.id"), index=True)
    district: Mapped[District] = relationship()
    period: Mapped[GrantPeriod] = relationship()
