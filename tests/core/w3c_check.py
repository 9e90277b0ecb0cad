"""Check JSON against the W3C Web Annotation test suite's assertion schemas (draft-04), the way
the suite's own runner does: each assertion has an expectedResult; a MUST passes when the
document's validity matches it. Cross-file `$ref`s ("annotations.json#/definitions/...") are
resolved by file name against a registry of every schema in the folder. Formats ("uri",
"date-time") are checked, as the suite's runner does (jsonschema's format-nongpl extra)."""
from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from jsonschema import Draft4Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from tests.conftest import ROOT

SCHEMAS = ROOT / "tests" / "fixtures" / "w3c-web-annotation"
ANNOTATION_MUSTS = "annotations/annotationMusts.test"
COLLECTION_MUSTS = "collections/collectionMusts.test"
PAGE_MUSTS = "collections/pages/pageMusts.test"


@cache
def _registry(folder: Path) -> Registry:
    resources = []
    for p in sorted(folder.rglob("*.json")):
        resources.append((p.name, Resource.from_contents(json.loads(p.read_text("utf-8")),
                                                          default_specification=DRAFT4)))
    return Registry().with_resources(resources)


@cache
def _schema(folder: Path, rel: str) -> dict:
    return json.loads((folder / rel).read_text("utf-8"))


def assertions(test_file: str, folder: Path = SCHEMAS) -> list[str]:
    return json.loads((folder / test_file).read_text("utf-8"))["assertions"]


def failures(doc: dict, rels: list[str], folder: Path = SCHEMAS) -> list[str]:
    """The assertions (paths) `doc` fails: valid where "invalid" was expected, or invalid where
    "valid" was."""
    reg = _registry(folder)
    bad = []
    for rel in rels:
        schema = _schema(folder, rel)
        valid = Draft4Validator(schema, registry=reg,
                                format_checker=Draft4Validator.FORMAT_CHECKER).is_valid(doc)
        if valid != (schema.get("expectedResult", "valid") == "valid"):
            bad.append(rel)
    return bad


def must_failures(doc: dict, test_file: str, folder: Path = SCHEMAS) -> list[str]:
    return failures(doc, assertions(test_file, folder), folder)


def annotation_alone(item: dict, collection: dict) -> dict:
    """An annotation embedded in a collection, with the collection's @context, as the suite
    checks single annotations."""
    return {"@context": collection["@context"], **item}
