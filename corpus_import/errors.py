"""The one exception type for input a user can fix (a bad manifest, a bad text file)."""

from pathlib import Path


class ImportInputError(ValueError):
    """A problem with an input file; ``str()`` names the file and, where known, the line and field."""

    def __init__(self, path: Path | str, message: str, line: int | None = None, field: str | None = None):
        self.path = Path(path)
        self.message = message
        self.line = line
        self.field = field
        super().__init__(str(self))

    def __str__(self) -> str:
        where = str(self.path)
        if self.line is not None:
            where += f", line {self.line}"
        if self.field is not None:
            where += f", field '{self.field}'"
        return f"{where}: {self.message}"
