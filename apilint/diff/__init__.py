"""Compare two normalised API versions and describe what moved, without judging it.

The walk compares operations key by key and schemas through ``$ref``s. Every schema pair is
compared once (memoised by the identity of the two nodes), so a component shared by a thousand
operations costs one comparison, and recursive schemas end. Equal subtrees are skipped with one
C-speed ``==``; only the ``$ref``s inside them are followed, since the components they name may
differ. Schema pairs form a graph; which operations reach a delta is computed afterwards by
walking that graph from every operation, so a change in a shared component names every
operation it reaches.

The package is split by the OpenAPI object compared:

- ``document``: info, spec version, servers, security schemes, tags, unused components
- ``operation``: an operation's own fields, its path item's words, security, callbacks
- ``parameters``: parameters, matched by location and name
- ``bodies``: request bodies and the media types of any content
- ``responses``: responses by status, links and headers
- ``schema``: the schema walker (pairs, ``$ref``s, variants, which operations reach what),
  reading schemas through ``view`` and comparing keywords with the table in ``keywords``
- ``core``: the state they share (``$ref`` cleanliness, where a field is), ``common`` the
  helpers, ``delta`` the records, ``kinds`` the ``Kind`` of every delta, ``vocabulary`` the
  keyword sets. Spec-version equivalences are in ``apilint.equivalences``.
"""

from .delta import Delta, Hit, Where
from .differ import Differ
from .kinds import Kind

__all__ = ["Delta", "Differ", "Hit", "Kind", "Where"]
