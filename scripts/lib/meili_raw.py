#!/usr/bin/env python3
"""Raw Meilisearch, beside the catalogue's backend, for scripts/bench-search (a benchmark,
not a test; standard library only).

  meili_raw.py copy URL KEY SOURCE_UID TARGET_UID
      Reads the settings and every document of SOURCE_UID (the index the backend wrote),
      then indexes the very same documents with the same settings into TARGET_UID the way
      Meilisearch's own documentation feeds a large set: chunks of 10,000 documents, all
      enqueued without waiting, then the tasks waited for together. Prints the documents
      and the seconds from the first chunk sent to the last task done.

  meili_raw.py bodies QUERIES_FILE
      Prints, for each line of the bench's query mix (a URL query string), the JSON body of
      the equivalent single search a client would send Meilisearch directly for the same
      page: the words, the same filters, facets, highlighting, cropping and 20 hits.
"""

import json
import sys
import time
import urllib.parse
import urllib.request

CHUNK = 10_000
FACETS = ["kind", "category", "location", "stage", "agency", "batch", "certifications",
          "procurement", "eligible", "first_purchased"]


def call(url, key, method, path, body=None):
    data = None if body is None else json.dumps(body, ensure_ascii=False).encode()
    request = urllib.request.Request(url.rstrip("/") + path, data=data, method=method)
    request.add_header("Authorization", f"Bearer {key}")
    if data is not None:
        request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, timeout=600) as response:
        return json.loads(response.read() or b"null")


def wait_for(url, key, uids):
    """Waits until every task in `uids` is done; fails on the first that is not a success."""
    pending = set(uids)
    while pending:
        for uid in sorted(pending):
            task = call(url, key, "GET", f"/tasks/{uid}")
            if task["status"] in ("enqueued", "processing"):
                break
            if task["status"] != "succeeded":
                sys.exit(f"Meilisearch task {uid} {task['status']}: {task.get('error')}")
            pending.discard(uid)
        else:
            continue
        time.sleep(0.2)


def all_documents(url, key, uid):
    """Every stored field of every document: the displayed attributes leave out the hidden
    `*_terms`, so they are shown for the time of the read and put back."""
    displayed = call(url, key, "GET", f"/indexes/{uid}/settings/displayed-attributes")
    wait_for(url, key, [call(url, key, "PUT", f"/indexes/{uid}/settings/displayed-attributes",
                             ["*"])["taskUid"]])
    documents, offset = [], 0
    while True:
        page = call(url, key, "POST", f"/indexes/{uid}/documents/fetch",
                    {"offset": offset, "limit": CHUNK})
        documents.extend(page["results"])
        offset += len(page["results"])
        if not page["results"] or offset >= page["total"]:
            break
    wait_for(url, key, [call(url, key, "PUT", f"/indexes/{uid}/settings/displayed-attributes",
                             displayed)["taskUid"]])
    return documents


def copy(url, key, source, target):
    settings = call(url, key, "GET", f"/indexes/{source}/settings")
    documents = all_documents(url, key, source)
    wait_for(url, key, [call(url, key, "POST", "/indexes",
                             {"uid": target, "primaryKey": "uid"})["taskUid"]])
    wait_for(url, key, [call(url, key, "PATCH", f"/indexes/{target}/settings",
                             settings)["taskUid"]])
    started = time.monotonic()
    tasks = [call(url, key, "POST", f"/indexes/{target}/documents?primaryKey=uid",
                  documents[at:at + CHUNK])["taskUid"]
             for at in range(0, len(documents), CHUNK)]
    wait_for(url, key, tasks)
    print(f"{len(documents)} {time.monotonic() - started:.1f}")


def quoted(value):
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def bodies(queries_file):
    for line in open(queries_file, encoding="utf-8"):
        params = dict(urllib.parse.parse_qsl(line.strip(), keep_blank_values=True))
        q = params.pop("q", "").strip()
        filters = []
        if params.pop("eligible", None):
            filters.append("eligible = true")
        filters += [f"{name} = {quoted(value)}" for name, value in sorted(params.items())]
        body = {
            "q": q,
            "filter": filters,
            "facets": FACETS,
            "page": 1,
            "hitsPerPage": 20,
            "matchingStrategy": "last",
            "attributesToHighlight": ["title", "body"],
            "highlightPreTag": "\ue000",
            "highlightPostTag": "\ue001",
            "attributesToCrop": ["body"],
            "cropLength": 40,
            "cropMarker": "…",
        }
        if not q:
            body["sort"] = ["published_at:desc", "fair:asc"]
        print(json.dumps(body, ensure_ascii=False))


if __name__ == "__main__":
    command, *arguments = sys.argv[1:]
    {"copy": copy, "bodies": bodies}[command](*arguments)
