"""The board and leadership register: organisations, performance, posts, people, appointments."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from talentboard import vocab
from talentboard.db.base import Base, one_of, ordered
from talentboard.reference import ETHNIC_CODES, REGION_CODES, ROLE_CODES


class Organisation(Base):
    __tablename__ = "organisations"
    __table_args__ = (
        one_of("kind", vocab.ORG_KINDS),
        one_of("region_code", REGION_CODES),
        CheckConstraint(
            "staff_headcount IS NULL OR staff_headcount >= 0", name="headcount_positive"
        ),
        CheckConstraint(
            "bme_staff_share IS NULL OR (bme_staff_share >= 0 AND bme_staff_share <= 1)",
            name="bme_share_fraction",
        ),
        ordered("opened_on", "closed_on"),
    )

    ods_code: Mapped[str] = mapped_column(String(12), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    region_code: Mapped[str] = mapped_column(String(3), index=True)
    icb_code: Mapped[str | None] = mapped_column(String(12))
    staff_headcount: Mapped[int | None] = mapped_column(Integer)
    bme_staff_share: Mapped[float | None] = mapped_column(Float)
    opened_on: Mapped[dt.date | None] = mapped_column(Date)
    closed_on: Mapped[dt.date | None] = mapped_column(Date)

    posts: Mapped[list[Post]] = relationship(back_populates="organisation")
    ratings: Mapped[list[PerformanceRating]] = relationship(back_populates="organisation")


class PerformanceRating(Base):
    """One entry in an organisation's dated performance history."""

    __tablename__ = "performance_ratings"
    __table_args__ = (
        UniqueConstraint("ods_code", "effective_from"),
        one_of("oversight_segment", vocab.OVERSIGHT_SEGMENTS, nullable=True),
        one_of("cqc_rating", vocab.CQC_RATINGS, nullable=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ods_code: Mapped[str] = mapped_column(ForeignKey("organisations.ods_code", ondelete="CASCADE"))
    effective_from: Mapped[dt.date] = mapped_column(Date)
    oversight_segment: Mapped[int | None] = mapped_column(Integer)
    cqc_rating: Mapped[str | None] = mapped_column(String(24))

    organisation: Mapped[Organisation] = relationship(back_populates="ratings")


class Post(Base):
    __tablename__ = "posts"
    __table_args__ = (
        one_of("role_code", ROLE_CODES),
        one_of("level", vocab.POST_LEVELS),
        ordered("established_from", "established_to", strict=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[str] = mapped_column(String(64), unique=True)
    ods_code: Mapped[str] = mapped_column(ForeignKey("organisations.ods_code"), index=True)
    role_code: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(200))
    level: Mapped[str] = mapped_column(String(12))
    executive: Mapped[bool]
    voting: Mapped[bool]
    established_from: Mapped[dt.date | None] = mapped_column(Date)
    established_to: Mapped[dt.date | None] = mapped_column(Date)

    organisation: Mapped[Organisation] = relationship(back_populates="posts")
    appointments: Mapped[list[Appointment]] = relationship(back_populates="post")


class Person(Base):
    __tablename__ = "people"
    __table_args__ = (
        one_of("ethnic_category", ETHNIC_CODES, nullable=True),
        one_of("sex", vocab.SEXES, nullable=True),
        one_of("disability", vocab.DISABILITY, nullable=True),
        one_of("professional_background", vocab.PROFESSIONAL_BACKGROUNDS, nullable=True),
        CheckConstraint(
            "birth_year IS NULL OR (birth_year >= 1900 AND birth_year <= 2100)",
            name="birth_year_range",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[str] = mapped_column(String(64), unique=True)
    employee_number: Mapped[str | None] = mapped_column(String(32))
    given_name: Mapped[str] = mapped_column(String(100))
    family_name: Mapped[str] = mapped_column(String(100))
    # Special category data (UK GDPR article 9): only served inside the caller's scope.
    ethnic_category: Mapped[str | None] = mapped_column(String(2))
    sex: Mapped[str | None] = mapped_column(String(12))
    disability: Mapped[str | None] = mapped_column(String(12))
    professional_background: Mapped[str | None] = mapped_column(String(24))
    birth_year: Mapped[int | None] = mapped_column(Integer)

    # Raised by one on every saved edit; an edit based on an older version is refused.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    appointments: Mapped[list[Appointment]] = relationship(back_populates="person")


class Appointment(Base):
    __tablename__ = "appointments"
    __table_args__ = (
        UniqueConstraint("person_ref", "post_ref", "start_date"),
        one_of("appointment_type", vocab.APPOINTMENT_TYPES),
        one_of("end_reason", vocab.END_REASONS, nullable=True),
        ordered("start_date", "end_date"),
        CheckConstraint("end_reason IS NULL OR end_date IS NOT NULL", name="end_reason_needs_end"),
        Index("ix_appointments_post_dates", "post_ref", "start_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_ref: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    post_ref: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date | None] = mapped_column(Date)
    appointment_type: Mapped[str] = mapped_column(String(12))
    end_reason: Mapped[str | None] = mapped_column(String(24))
    # Notes from the exit conversation; the structured reason is end_reason.
    exit_notes: Mapped[str | None] = mapped_column(Text)

    # Raised by one on every saved edit; an edit based on an older version is refused.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    person: Mapped[Person] = relationship(back_populates="appointments")
    post: Mapped[Post] = relationship(back_populates="appointments")


class PersonOrigin(Base):
    """Where a person's record was added: the organisation whose user added it (through an
    import or the "Add a person" form), or the region, for a regional import. Those users
    see the person even before an appointment places them in their scope (DESIGN section 8).
    """

    __tablename__ = "person_origins"
    __table_args__ = (
        one_of("region_code", REGION_CODES, nullable=True),
        CheckConstraint("ods_code IS NOT NULL OR region_code IS NOT NULL", name="origin_named"),
    )

    person_ref: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    ods_code: Mapped[str | None] = mapped_column(
        ForeignKey("organisations.ods_code", ondelete="CASCADE"), index=True
    )
    region_code: Mapped[str | None] = mapped_column(String(3), index=True)
