"""Live workflows kept between commands, so a busy instance is not deserialized on every step.

An entry is keyed by instance id and the instance's version at commit. A command *takes* the
entry (no two commands ever share a workflow object) and the unit of work puts it back only after
its transaction committed, under the new version. A rolled-back command therefore leaves nothing
behind, and a change committed by another process bumps the version, so a stale entry is never
used: it simply misses and ages out.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from SpiffWorkflow.bpmn.workflow import BpmnWorkflow


class WorkflowCache:
    def __init__(self, size: int = 512) -> None:
        self._size = size
        self._items: OrderedDict[int, tuple[int, BpmnWorkflow]] = OrderedDict()
        self._lock = threading.Lock()

    def take(self, instance_id: int, version: int) -> BpmnWorkflow | None:
        with self._lock:
            entry = self._items.pop(instance_id, None)
        if entry is None or entry[0] != version:
            return None
        return entry[1]

    def put(self, instance_id: int, version: int, workflow: BpmnWorkflow) -> None:
        if self._size <= 0:
            return
        with self._lock:
            self._items[instance_id] = (version, workflow)
            self._items.move_to_end(instance_id)
            while len(self._items) > self._size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
