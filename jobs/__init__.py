"""Background jobs on PostgreSQL (procrastinate): the bottom layer every app may use.

See jobs/queue.py for how an app registers a task and queues a job.
"""
