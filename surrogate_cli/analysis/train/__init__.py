"""Training spiking networks with each surrogate: tasks (Randman, SHD, user files), the LIF
network and its training loop, the vmapped sweep, and ``train()``."""
