"""course_utils: the NumPy core of *From Sigmoid to Softmax*.

Modules, in the order the course meets them:

* :mod:`~course_utils.functions`: sigmoid, softmax and friends, computed from logits
* :mod:`~course_utils.losses`: binary and multinomial cross-entropy with the L2 term
* :mod:`~course_utils.gradcheck`: finite-difference checks of a gradient
* :mod:`~course_utils.optim`: batch, stochastic and minibatch gradient descent
* :mod:`~course_utils.metrics`: accuracy, precision, recall, F1, confusion matrix
* :mod:`~course_utils.data`: the lecture's points, blobs, splits, the news loader
* :mod:`~course_utils.symbolic`: SymPy derivations of every gradient
* :mod:`~course_utils.plotting` and :mod:`~course_utils.widgets`: figures and explorers
"""

from .functions import add_intercept, log_sigmoid, log_softmax, logsumexp, one_hot, sigmoid, softmax
from .losses import (binary_cross_entropy, binary_cross_entropy_grad,
                     multinomial_cross_entropy, multinomial_cross_entropy_grad)

__version__ = "0.1.0"

__all__ = ["sigmoid", "log_sigmoid", "softmax", "log_softmax", "logsumexp", "add_intercept",
           "one_hot", "binary_cross_entropy", "binary_cross_entropy_grad",
           "multinomial_cross_entropy", "multinomial_cross_entropy_grad"]
