"""What is tracked per recommendation: its delivery (owner, status, progress), KPIs with dated
actuals, and evidence links. Staff-entered facts about a policy; nothing about a respondent."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Float, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.db import Base, utcnow


class Status(enum.StrEnum):
    not_started = "not_started"
    in_progress = "in_progress"
    done = "done"
    stalled = "stalled"


class Delivery(Base):
    """One recommendation's owner (the agency in charge), status and progress (0-100%)."""

    __tablename__ = "delivery"

    recommendation_id: Mapped[int] = mapped_column(
        ForeignKey("recommendation.id", ondelete="CASCADE"), primary_key=True
    )
    owner: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(20), default=Status.not_started)
    progress: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class Kpi(Base):
    """A key performance indicator: met when its latest actual reaches the target, moving from
    the baseline towards it (up when the target is above the baseline, down when below)."""

    __tablename__ = "kpi"

    id: Mapped[int] = mapped_column(primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(
        ForeignKey("recommendation.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    unit: Mapped[str] = mapped_column(String(40), default="")
    baseline: Mapped[float] = mapped_column(Float)
    target: Mapped[float] = mapped_column(Float)

    actuals: Mapped[list[KpiActual]] = relationship(
        order_by="KpiActual.measured_on", cascade="all, delete-orphan", back_populates="kpi"
    )

    @property
    def latest(self) -> KpiActual | None:
        return self.actuals[-1] if self.actuals else None

    @property
    def met(self) -> bool:
        latest = self.latest
        if latest is None:
            return False
        if self.target >= self.baseline:
            return latest.value >= self.target
        return latest.value <= self.target


class KpiActual(Base):
    """A KPI's value as measured on a day (one per day)."""

    __tablename__ = "kpi_actual"
    __table_args__ = (UniqueConstraint("kpi_id", "measured_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kpi_id: Mapped[int] = mapped_column(ForeignKey("kpi.id", ondelete="CASCADE"))
    measured_on: Mapped[date]
    value: Mapped[float] = mapped_column(Float)

    kpi: Mapped[Kpi] = relationship(back_populates="actuals")


class Evidence(Base):
    """A link to a document showing delivery (http or https only)."""

    __tablename__ = "evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(
        ForeignKey("recommendation.id", ondelete="CASCADE"), index=True
    )
    url: Mapped[str] = mapped_column(String(2000))
    label: Mapped[str] = mapped_column(String(200))
