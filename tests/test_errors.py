"""Tests for claimtrack.errors: attributes, messages, builtin bases, pickling."""

from __future__ import annotations

import pickle

import pytest

from claimtrack import errors
from claimtrack.errors import (
    ClaimtrackError,
    CorruptStoreError,
    DuplicateRecordError,
    ImportFormatError,
    InvalidRecordError,
    SchemaVersionError,
    StoreError,
    UnknownRecordError,
)

ALL_ERRORS = [
    InvalidRecordError("confidence", 1.5, "must lie in [0, 1]", record_id="c1"),
    UnknownRecordError("nobody", kind="speaker"),
    DuplicateRecordError("trump", kind="speaker"),
    StoreError("cannot open", path="x.db"),
    CorruptStoreError("not valid JSON", path="ledger.jsonl", line=7),
    SchemaVersionError(path="x.db", found=9, supported=1),
    ImportFormatError("$.itemReviewed.author.name", "is missing"),
]


class TestInvalidRecordError:
    def test_attributes(self) -> None:
        """The field, value, reason and record id are kept as attributes."""
        err = InvalidRecordError("confidence", 1.5, "must lie in [0, 1]", record_id="c1")
        assert ("confidence", 1.5, "must lie in [0, 1]", "c1") == (
            err.field,
            err.value,
            err.reason,
            err.record_id,
        )

    def test_message_names_field_and_value(self) -> None:
        """The message names the field, the value and the record."""
        err = InvalidRecordError("confidence", 1.5, "must lie in [0, 1]", record_id="c1")
        assert "confidence: 1.5 must lie in [0, 1] (record 'c1')" == str(err)

    def test_message_without_record_id(self) -> None:
        """Without a record id the message has no record part."""
        assert "text: '' must not be empty" == str(
            InvalidRecordError("text", "", "must not be empty")
        )

    def test_long_value_is_cut_in_message(self) -> None:
        """A long value is shortened in the message but kept whole in the attribute."""
        value = "x" * 1000
        err = InvalidRecordError("text", value, "is too long")
        assert value == err.value
        assert len(str(err)) < 120
        assert "..." in str(err)

    def test_is_a_value_error(self) -> None:
        """Code that catches ValueError catches it."""
        assert isinstance(InvalidRecordError("f", 1, "bad"), ValueError)


class TestUnknownRecordError:
    def test_attributes_and_message(self) -> None:
        """The id and the kind are attributes and are named in the message."""
        err = UnknownRecordError("nobody", kind="speaker")
        assert ("nobody", "speaker") == (err.record_id, err.kind)
        assert "no speaker with id 'nobody'" == str(err)

    def test_default_kind(self) -> None:
        """Without a kind it speaks of a record."""
        assert "no record with id 'x'" == str(UnknownRecordError("x"))

    def test_is_a_key_error_with_prose_message(self) -> None:
        """It is a KeyError, but str() is prose, not the repr KeyError gives."""
        err = UnknownRecordError("x")
        assert isinstance(err, KeyError)
        assert not str(err).startswith('"')


class TestDuplicateRecordError:
    def test_attributes_and_message(self) -> None:
        """The id and the kind holding it are attributes and are named in the message."""
        err = DuplicateRecordError("trump", kind="speaker")
        assert ("trump", "speaker") == (err.record_id, err.kind)
        assert "id 'trump' is taken (by a speaker)" == str(err)


class TestStoreErrors:
    def test_store_error_path(self) -> None:
        """A StoreError keeps its path."""
        err = StoreError("cannot open", path="x.db")
        assert ("x.db", "cannot open") == (err.path, str(err))

    def test_corrupt_store_names_file_and_line(self) -> None:
        """A CorruptStoreError names the file and the line."""
        err = CorruptStoreError("not valid JSON", path="ledger.jsonl", line=7)
        assert ("ledger.jsonl", 7) == (err.path, err.line)
        assert "ledger.jsonl:7: not valid JSON" == str(err)

    def test_corrupt_store_without_path(self) -> None:
        """Without a path or line it still reads as a sentence."""
        assert "<store>: bad" == str(CorruptStoreError("bad"))

    def test_schema_version(self) -> None:
        """A SchemaVersionError names both versions and says what to do."""
        err = SchemaVersionError(path="x.db", found=9, supported=1, line=3)
        assert (9, 1, 3) == (err.found, err.supported, err.line)
        assert str(err).startswith("x.db:3: format version 9")
        assert "upgrade claimtrack" in str(err)

    def test_subclasses(self) -> None:
        """Both specific store errors are StoreErrors."""
        assert issubclass(CorruptStoreError, StoreError)
        assert issubclass(SchemaVersionError, StoreError)


class TestImportFormatError:
    def test_attributes_and_message(self) -> None:
        """The path inside the document and the reason are attributes and in the message."""
        err = ImportFormatError("$.itemReviewed.author.name", "is missing")
        assert ("$.itemReviewed.author.name", "is missing") == (err.path, err.reason)
        assert "$.itemReviewed.author.name: is missing" == str(err)
        assert isinstance(err, ValueError)


class TestFamily:
    @pytest.mark.parametrize("err", ALL_ERRORS, ids=lambda e: type(e).__name__)
    def test_every_error_is_a_claimtrack_error(self, err: ClaimtrackError) -> None:
        """Every error can be caught as ClaimtrackError."""
        assert isinstance(err, ClaimtrackError)

    @pytest.mark.parametrize("err", ALL_ERRORS, ids=lambda e: type(e).__name__)
    def test_pickle_round_trip(self, err: ClaimtrackError) -> None:
        """Every error pickles and comes back with its type, message and attributes."""
        back = pickle.loads(pickle.dumps(err))
        assert type(err) is type(back)
        assert str(err) == str(back)
        assert vars(err) == vars(back)

    def test_store_warning_is_a_user_warning(self) -> None:
        """StoreWarning (damage skipped safely) is a UserWarning, not an error."""
        assert issubclass(errors.StoreWarning, UserWarning)
        assert not issubclass(errors.StoreWarning, ClaimtrackError)

    def test_every_public_error_is_covered(self) -> None:
        """The examples above include one of every error in errors.__all__ (warnings aside)."""
        raised = [name for name in errors.__all__ if not name.endswith("Warning")]
        assert sorted(raised) == sorted(
            {type(e).__name__ for e in ALL_ERRORS} | {"ClaimtrackError"}
        )

    def test_raised_and_caught_as_builtin(self) -> None:
        """An UnknownRecordError is caught by ``except KeyError``."""
        with pytest.raises(KeyError):
            raise UnknownRecordError("x")
