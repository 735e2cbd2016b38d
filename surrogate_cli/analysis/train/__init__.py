"""Training spiking networks with each surrogate: tasks (Randman, SHD, user files), the LIF
network and its training loop, the vmapped sweep, and ``train()``."""
from .api import read_resume, resume_document, train
from .loop import Task, TrainConfig
from .network import NetConfig
from .randman import RandmanConfig, make_randman
from .results import RunRecord, Summary, TrainResult, summarize
from .tasks import TASKS, load_task

__all__ = ["train", "read_resume", "resume_document", "Task", "TrainConfig", "NetConfig", "RandmanConfig",
           "make_randman", "RunRecord", "Summary", "TrainResult", "summarize", "TASKS", "load_task"]
