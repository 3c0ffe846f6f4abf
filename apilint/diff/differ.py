"""The differ: one class made of the comparers of each OpenAPI object (see the package)."""

from __future__ import annotations

from .bodies import BodyDiffer
from .common import _w
from .delta import Delta, Hit
from .document import DocumentDiffer
from .kinds import Kind
from .operation import OperationDiffer
from .parameters import ParameterDiffer
from .responses import ResponseDiffer
from .schema import SchemaDiffer


class Differ(DocumentDiffer, OperationDiffer, ParameterDiffer, BodyDiffer, ResponseDiffer,
             SchemaDiffer):
    """Compare two normalised sides; ``run`` returns every delta as reached (``Hit``)."""

    def run(self) -> list[Hit]:
        skip = self._unchanged_paths()
        # Swagger 2.0 form fields are a request body in OpenAPI 3; read them as one only when
        # the other side is OpenAPI 3, so Swagger-to-Swagger reports stay as they are.
        cross = (self.b.spec == "2.0") != (self.r.spec == "2.0")
        self.b.read_operations(skip, form_body=cross)
        self.r.read_operations(skip, form_body=cross)
        self._document()
        bops, rops = self.b.operations, self.r.operations
        for key in sorted(set(bops) | set(rops)):
            bo, ro = bops.get(key), rops.get(key)
            if bo is None and ro is not None:
                self._hit(Delta(Kind.OPERATION_ADDED, None, _w(ro.node), name=ro.label),
                          ro, None, None)
            elif ro is None and bo is not None:
                self._hit(Delta(Kind.OPERATION_REMOVED, _w(bo.node), None, name=bo.label),
                          bo, None, None)
            elif bo is not None and ro is not None:
                self._operation(bo, ro)
        self._unused_components()
        self._attribute()
        return self.hits
