"""Database URLs a user can get wrong: a malformed one is one line and exit 1, and no
credential it carries (the userinfo password, or `password`, `sslpassword` and `passfile`
in the query) is printed by any command, failing or not."""

from __future__ import annotations

import pytest

from tests.conftest import Cli
from tests.reliability.conftest import assert_one_line_error

SECRET = "hunter2-LDN-SECRET"


@pytest.mark.parametrize(
    "url",
    [
        f"postgresql://u:{SECRET}@127.0.0.1:notaport/db",
        f"postgresql://u:{SECRET}@127.0.0.1:99999999/db",
        f"postgresql://u:{SECRET}@[::1/db",
        "postgresql://u@127.0.0.1:-5/db",
    ],
)
def test_malformed_url_is_one_line_exit_1(url: str) -> None:
    result = Cli(url)("claims", "list")
    assert result.exit_code == 1, result.output
    assert_one_line_error(result.stderr, "database URL")
    assert SECRET not in result.output


@pytest.mark.parametrize("param", ["password", "sslpassword", "passfile", "PassWord"])
@pytest.mark.parametrize("port", ["9", "notaport"])
@pytest.mark.slow
def test_credentials_in_the_query_are_masked(param: str, port: str) -> None:
    """Port 9 refuses connections (the error names the database); a bad port is refused
    before any connection (the error quotes the URL)."""
    url = f"postgresql://someone:{SECRET}@127.0.0.1:{port}/db?{param}={SECRET}&application_name=x"
    result = Cli(url)("claims", "list")
    assert result.exit_code == 1
    line = assert_one_line_error(result.stderr)
    assert SECRET not in result.output
    assert "***" in line and "application_name=x" in line


def test_masking_keeps_the_rest_of_the_url() -> None:
    from ldn_evidence.config import redact_db_url

    assert redact_db_url(
        f"postgresql://u:{SECRET}@h:5432/db?sslmode=require&sslpassword={SECRET}"
        f"&passfile=/home/u/.pgpass&password={SECRET}"
    ) == ("postgresql://u:***@h:5432/db?sslmode=require&sslpassword=***&passfile=***&password=***")
    assert redact_db_url("sqlite:////tmp/my:file@x.db") == "sqlite:////tmp/my:file@x.db"
    assert redact_db_url("postgresql://u@h/db") == "postgresql://u@h/db"


@pytest.mark.filterwarnings("ignore:Query string argument")  # pysqlite ignores the parameter
def test_db_current_shows_the_url_masked(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A working SQLite URL with a password-looking query is shown masked too."""
    url = f"sqlite:///{tmp_path / 'q.db'}?password={SECRET}"
    assert Cli(url)("db", "upgrade").exit_code == 0  # a read never creates the database
    result = Cli(url)("db", "current")
    assert result.exit_code == 0, result.output
    assert SECRET not in result.output and "password=***" in result.output
