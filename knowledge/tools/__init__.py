"""The offline tools behind ``helpdesk kb`` only: measuring the search (``evaluate``,
``baseline``, ``report``) and fitting its confidence (``calibrate``, with the noisy
question variants of ``augment``). The running bot never imports this package.
"""
