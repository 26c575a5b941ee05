"""The unit of work: one database transaction per incoming event or job."""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType

from sqlmodel import Session


class UnitOfWork:
    """Opens a session; nothing is kept unless ``commit()`` is called.

    >>> with UnitOfWork(session_factory) as uow:
    ...     uow.session.add(row)
    ...     uow.commit()
    """

    def __init__(self, session_factory: Callable[[], Session]) -> None:
        self._factory = session_factory
        self._session: Session | None = None

    @property
    def session(self) -> Session:
        if self._session is None:
            raise RuntimeError("the unit of work is not open")
        return self._session

    def __enter__(self) -> UnitOfWork:
        self._session = self._factory()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        session = self.session
        try:
            session.rollback()  # a no-op after commit(); undoes everything otherwise
        finally:
            session.close()
            self._session = None

    def commit(self) -> None:
        self.session.commit()
