"""A generic durable BPM runtime over SpiffWorkflow.

It knows processes, versions, instances, tasks, timers and the audit log; it knows nothing of
ODOP schemes, Flask or HTTP.
"""
