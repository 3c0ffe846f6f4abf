"""Schema keywords by what they are, and by the JSON Schema vocabulary of each spec version."""

from __future__ import annotations

DOC_KEYWORDS = frozenset(
    {"description", "title", "example", "examples", "externalDocs", "$comment", "summary"}
)


MIN_KEYWORDS = frozenset({"minimum", "minLength", "minItems", "minProperties", "minContains"})


MAX_KEYWORDS = frozenset({"maximum", "maxLength", "maxItems", "maxProperties", "maxContains"})


SUBSCHEMA_KEYWORDS = frozenset(
    {"not", "contains", "propertyNames", "if", "then", "else", "unevaluatedItems",
     "unevaluatedProperties", "contentSchema", "additionalItems"}
)


SCHEMA_MAP_KEYWORDS = frozenset({"patternProperties", "dependentSchemas"})


# Schema keywords by vocabulary. A keyword in none of them for the spec's version (a typo
# such as `additonalProperties`) is not a constraint any validator applies.
_DRAFT4 = frozenset({
    "id", "$schema", "$ref", "title", "description", "default", "multipleOf", "maximum",
    "exclusiveMaximum", "minimum", "exclusiveMinimum", "maxLength", "minLength", "pattern",
    "additionalItems", "items", "maxItems", "minItems", "uniqueItems", "maxProperties",
    "minProperties", "required", "additionalProperties", "definitions", "properties",
    "patternProperties", "dependencies", "enum", "type", "format", "allOf", "anyOf", "oneOf",
    "not",
})  # JSON Schema draft 4 (Swagger 2.0) and Wright draft 00 (OpenAPI 3.0)


_DRAFT2020 = frozenset({
    "$schema", "$id", "$ref", "$anchor", "$dynamicRef", "$dynamicAnchor", "$vocabulary",
    "$comment", "$defs", "prefixItems", "items", "contains", "additionalProperties",
    "properties", "patternProperties", "dependentSchemas", "propertyNames", "if", "then",
    "else", "allOf", "anyOf", "oneOf", "not", "unevaluatedItems", "unevaluatedProperties",
    "type", "const", "enum", "multipleOf", "maximum", "exclusiveMaximum", "minimum",
    "exclusiveMinimum", "maxLength", "minLength", "pattern", "maxItems", "minItems",
    "uniqueItems", "maxContains", "minContains", "maxProperties", "minProperties", "required",
    "dependentRequired", "title", "description", "default", "deprecated", "readOnly",
    "writeOnly", "examples", "format", "contentEncoding", "contentMediaType", "contentSchema",
    # earlier drafts a 3.1 schema may choose with $schema (draft 7, 2019-09)
    "definitions", "dependencies", "additionalItems", "$recursiveRef", "$recursiveAnchor",
})  # JSON Schema 2020-12 (OpenAPI 3.1)


_OPENAPI_SCHEMA = {
    # Swagger 2.0 adds these; its parameters' and headers' Items Objects add collectionFormat
    "2.0": _DRAFT4 | {"discriminator", "readOnly", "xml", "externalDocs", "example",
                      "collectionFormat"},
    "3.0": _DRAFT4 | {"nullable", "discriminator", "readOnly", "writeOnly", "xml",
                      "externalDocs", "example", "deprecated"},
    "3.1": _DRAFT2020 | {"discriminator", "xml", "externalDocs", "example"},
}


def _vocabulary(*specs: str | None) -> frozenset[str]:
    """Schema keywords of the versions ``specs`` (known in either side's version is known)."""
    out: frozenset[str] = frozenset()
    for spec in specs:
        out |= _OPENAPI_SCHEMA.get(spec or "", _OPENAPI_SCHEMA["3.1"] | _OPENAPI_SCHEMA["3.0"])
    return out
