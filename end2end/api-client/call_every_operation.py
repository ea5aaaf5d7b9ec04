"""Calls every operation of the open-data API through a client generated from its
OpenAPI document (openapi-python-client), as a program written against the document
would: each call must be answered 200 and its body read into the model the document
names (or, for the downloads, carry the documented media type). An operation this
script does not call fails it, so a new operation cannot go untried.

    python call_every_operation.py BASE_URL PARENT_DIR PACKAGE

PARENT_DIR holds the generated package PACKAGE. Run by scripts/check-api-client.
"""

import importlib
import pkgutil
import sys


def main() -> int:
    base, parent, package = sys.argv[1], sys.argv[2], sys.argv[3]
    sys.path.insert(0, parent)
    generated = importlib.import_module(package)
    client = importlib.import_module(f"{package}.client").Client(
        base_url=base, raise_on_unexpected_status=True, timeout=120.0
    )
    models = importlib.import_module(f"{package}.models")

    def operation(tag: str, name: str):
        return importlib.import_module(f"{package}.api.{tag}.{name}")

    def json_call(tag: str, name: str, model: str, **arguments):
        answer = operation(tag, name).sync_detailed(client=client, **arguments)
        expected = getattr(models, model)
        if answer.status_code != 200 or not isinstance(answer.parsed, expected):
            raise SystemExit(
                f"{tag}.{name}({arguments}): {answer.status_code}, "
                f"{type(answer.parsed).__name__} instead of {model}: {answer.content[:300]!r}"
            )
        return answer.parsed

    def download(tag: str, name: str, media_type: str, **arguments):
        answer = operation(tag, name).sync_detailed(client=client, **arguments)
        received = answer.headers.get("content-type", "")
        if answer.status_code != 200 or not received.startswith(media_type) or not answer.content:
            raise SystemExit(f"{tag}.{name}: {answer.status_code} {received}")

    called = set()

    def calls(tag: str, name: str):
        called.add(f"{tag}.{name}")

    # The collections, each read a page of two; then one record of each by its id.
    first_ids = {}
    for tag, page in [
        ("products", "ProductsPage"),
        ("scenarios", "ScenariosPage"),
        ("projects", "ProjectsPage"),
        ("organisations", "OrganisationsPage"),
        ("calls", "CallsPage"),
        ("first_purchases", "FirstPurchasesPage"),
    ]:
        name = f"list_{tag}"
        read = json_call(tag, name, page, limit=2)
        calls(tag, name)
        if not read.items:
            raise SystemExit(f"{tag}: the demo catalogue should have records")
        first_ids[tag] = read.items[0].id
    for tag, model in [
        ("products", "ProductV1"),
        ("scenarios", "ScenarioV1"),
        ("projects", "ProjectV1"),
        ("organisations", "OrganisationV1"),
        ("calls", "CallV1"),
        ("first_purchases", "FirstPurchaseV1"),
    ]:
        name = f"get_{tag[:-1]}" if tag != "first_purchases" else "get_first_purchase"
        record = json_call(tag, name, model, id=first_ids[tag])
        calls(tag, name)
        if record.id != first_ids[tag]:
            raise SystemExit(f"{tag}.{name}: asked for {first_ids[tag]}, got {record.id}")

    json_call("notices", "list_notices", "NoticesPage", limit=2)
    calls("notices", "list_notices")
    json_call("removals", "list_removals", "RemovalsPage", limit=2)
    calls("removals", "list_removals")

    # A release package is documented as an object (its shape is OCDS's own schema).
    ocds = json_call("ocds", "list_ocds_releases", "ListOcdsReleasesResponse200", limit=2)
    calls("ocds", "list_ocds_releases")
    if not ocds["releases"]:
        raise SystemExit("ocds: the demo catalogue's first purchases should be releases")
    one = json_call(
        "ocds", "get_ocds_release", "GetOcdsReleaseResponse200", id=first_ids["first_purchases"]
    )
    if len(one["releases"]) != 1:
        raise SystemExit(f"ocds.get_ocds_release: {len(one['releases'])} releases")
    calls("ocds", "get_ocds_release")

    kind = getattr(models, "DocumentKind").PRODUCT
    results = json_call("search", "search", "SearchResults", q="机器人", kind=kind)
    calls("search", "search")
    if results.total < 1:
        raise SystemExit("search: 机器人 should find products in the demo catalogue")
    download("export", "export_csv", "text/csv", q="机器人")
    calls("export", "export_csv")
    download(
        "export",
        "export_xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        q="机器人",
    )
    calls("export", "export_xlsx")

    json_call("dump", "describe_dump", "DumpV1")
    calls("dump", "describe_dump")
    download("dump", "download_dump", "application/gzip")
    calls("dump", "download_dump")

    document = operation("openapi", "openapi_document").sync_detailed(client=client)
    if document.status_code != 200 or b'"openapi"' not in document.content:
        raise SystemExit(f"openapi.openapi_document: {document.status_code}")
    calls("openapi", "openapi_document")

    generated_operations = {
        f"{tag.name}.{module.name}"
        for tag in pkgutil.iter_modules(importlib.import_module(f"{package}.api").__path__)
        for module in pkgutil.iter_modules(
            importlib.import_module(f"{package}.api.{tag.name}").__path__
        )
    }
    untried = sorted(generated_operations - called)
    if untried:
        raise SystemExit(f"operations of the document this script does not call: {untried}")
    print(f"{len(called)} operations called through the generated client ({generated.__name__})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
