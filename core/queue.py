"""Starting background work by task name, so that services never import the tasks
module: tasks import services, services enqueue tasks by name after commit."""

from celery import current_app


def enqueue(task_name: str, *args):
    """``task_name`` is the task's dotted name, e.g. "scorecard.tasks.deliver_notification".
    The tasks are registered when the app starts (``ScorecardConfig.ready``)."""
    return current_app.tasks[task_name].delay(*args)
