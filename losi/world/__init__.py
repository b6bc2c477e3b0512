"""The test world: synthetic municipal portals with ground truth, served on 127.0.0.1.

    from losi.world import WorldSpec, generate, serve_world
    world = generate(WorldSpec(portals=20, pages=60, hostile=True, seed=1))
    with serve_world(world) as urls:          # {slug: "http://127.0.0.1:PORT/"}
        ...                                    # urls.ca_pem trusts the self-signed portal

`python -m losi.world serve --portals N --pages P ...` serves a world from another process
(see `losi/world/__main__.py`). Other sites a portal links to (national portals' service pages,
open-data catalogues: `World.elsewhere`) are served through one more port, the world's proxy
(`urls.proxy`; `urls.proxy_environment()` gives the variables a client needs); every other host
is unreachable there. With `WorldSpec(host_names=True)` the portals too are reached through the
proxy, by their host names under `.test` (`urls[slug]` is "http://HOST/", `urls.direct[slug]`
the 127.0.0.1 address). docs/world.md describes the features and the agreement measure.
`python -m losi.world agree` crawls and detects a world and prints how far each detector agrees
with the ground truth (`losi/world/agreement.py`, which, unlike the rest of this package,
imports the crawler CLI, storage and scoring; nothing here imports it).
"""

from losi.world.generate import (
    FEATURES,
    HOSTILE_CASES,
    Page,
    Portal,
    World,
    WorldSpec,
    generate,
)
from losi.world.server import ServedWorld, serve_world

__all__ = [
    "FEATURES",
    "HOSTILE_CASES",
    "Page",
    "Portal",
    "ServedWorld",
    "World",
    "WorldSpec",
    "generate",
    "serve_world",
]
