"""A region's rules given as configuration: JSON naming some of a dataclass's fields,
the rest left at their defaults."""
import json
from typing import Any, ClassVar, Self


class RegionalRules:
    """Base of a frozen dataclass of rules; `parse` reads OW_<NAME>_RULES-style JSON."""
    label = "rules"
    __dataclass_fields__: ClassVar[dict[str, Any]]  # set by @dataclass on each subclass

    @classmethod
    def parse(cls, text: str | None) -> Self:
        if not text:
            return cls()
        given = json.loads(text)
        unknown = set(given) - set(cls.__dataclass_fields__)
        if unknown:
            raise ValueError(f"unknown {cls.label}: {', '.join(sorted(unknown))}")
        rules = cls(**given)
        if not rules.in_range():
            raise ValueError(f"{cls.label} out of range: {given}")
        return rules

    def in_range(self) -> bool:
        return True
