"""Chapter 1: logistic regression trained by gradient descent.

Notation: X: (n_x, m) examples as columns, Y: (1, m) labels in {0, 1},
w: (n_x, 1), b: float, Z = w.T X + b: (1, m), A = sigmoid(Z): (1, m).
"""
import numpy as np


def sigmoid(z):
    """Logistic function 1 / (1 + exp(-z)), elementwise, without overflow.

    z: scalar or array of any shape. Returns a float64 array of the same shape with
    values in [0, 1]. For z >= 0 it uses 1 / (1 + exp(-z)); for z < 0 the equal form
    exp(z) / (1 + exp(z)), so exp only ever sees numbers <= 0 and cannot overflow.
    """
    z = np.asarray(z, dtype=np.float64)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def initialize_with_zeros(n_x):
    """Zero parameters for logistic regression (zeros are fine: no hidden units).

    n_x: number of input features, an int. Returns a tuple (w, b): w an (n_x, 1)
    float64 array of zeros and b = 0.0, a float.
    """
    return np.zeros((n_x, 1)), 0.0


def propagate(w, b, X, Y):
    """Forward pass, cross-entropy cost and its gradients for logistic regression.

    w: (n_x, 1); b: float; X: (n_x, m); Y: (1, m) of 0.0 / 1.0 (none is modified).
    A = sigmoid(w.T X + b);  J = -(1/m) sum(Y log A + (1 - Y) log(1 - A)).
    dw = (1/m) X (A - Y).T : (n_x, 1);  db = (1/m) sum(A - Y) : float.
    Returns a tuple (grads, cost): grads = {"dw": dw, "db": db} with dw a float64
    array and db a float, and cost a float (the mean over the m examples).
    """
    m = X.shape[1]
    Z = w.T @ X + b
    A = sigmoid(Z)
    cost = float(np.sum(np.logaddexp(0.0, Z) - Y * Z) / m)
    dZ = A - Y
    grads = {"dw": X @ dZ.T / m, "db": float(np.sum(dZ) / m)}
    return grads, cost


def optimize(w, b, X, Y, num_iterations, learning_rate, record_every=100):
    """Batch gradient descent on the logistic-regression cost.

    w: (n_x, 1); b: float; X: (n_x, m); Y: (1, m); num_iterations: int >= 1;
    learning_rate: float; record_every: int (100 by default).
    Each iteration: w <- w - learning_rate * dw,  b <- b - learning_rate * db.
    The cost is recorded before the update of every iteration i (counted from 0)
    with i % record_every == 0. Returns a tuple (params, grads, costs): params =
    {"w": (n_x, 1) float64 array, "b": float}, grads = the last {"dw", "db"}
    computed, costs = list of floats, ceil(num_iterations / record_every) of them.
    The caller's w is not modified.
    """
    costs = []
    grads = {}
    for i in range(num_iterations):
        grads, cost = propagate(w, b, X, Y)
        if i % record_every == 0:
            costs.append(cost)
        w = w - learning_rate * grads["dw"]
        b = b - learning_rate * grads["db"]
    return {"w": w, "b": b}, grads, costs


def predict(w, b, X):
    """Class predictions: 1.0 where P(y=1 | x) = sigmoid(w.T x + b) > 0.5, else 0.0.

    w: (n_x, 1); b: float; X: (n_x, m). Returns a (1, m) float64 array of 0.0 / 1.0,
    like the labels Y; a probability of exactly 0.5 (z = 0) predicts 0.0.
    """
    A = sigmoid(w.T @ X + b)
    return (A > 0.5).astype(np.float64)


def standardize(X_train, X_test, eps=1e-8):
    """Rescale every feature to mean 0 and standard deviation 1 on the training set.

    X_train: (n_x, m_train); X_test: (n_x, m_test), any second set (dev or test).
    mu and sigma (the population standard deviation, dividing by m_train) are
    per-feature statistics of X_train only, shape (n_x, 1); both sets are mapped by
    x -> (x - mu) / (sigma + eps), so a constant feature (sigma = 0) becomes 0.
    eps: float, 1e-8 by default. Returns a tuple (X_train_std, X_test_std) of
    float64 arrays with the input shapes; the inputs are not modified.
    """
    mu = X_train.mean(axis=1, keepdims=True)
    sigma = X_train.std(axis=1, keepdims=True)
    return (X_train - mu) / (sigma + eps), (X_test - mu) / (sigma + eps)


def model(X_train, Y_train, X_test, Y_test, num_iterations=2000,
          learning_rate=0.5):
    """Train logistic regression from zeros by gradient descent and evaluate it.

    X_train: (n_x, m_train); Y_train: (1, m_train); X_test: (n_x, m_test) and
    Y_test: (1, m_test), the set to evaluate on. Returns a dict with "w": (n_x, 1),
    "b": float, "costs": list of floats (one per 100 iterations),
    "Y_prediction_train": (1, m_train) and "Y_prediction_test": (1, m_test) float64
    arrays of 0.0 / 1.0, "train_accuracy" and "test_accuracy": floats in [0, 1]
    (the fraction of examples predicted right).
    """
    w, b = initialize_with_zeros(X_train.shape[0])
    params, _, costs = optimize(w, b, X_train, Y_train, num_iterations,
                                learning_rate)
    w, b = params["w"], params["b"]
    Y_prediction_train = predict(w, b, X_train)
    Y_prediction_test = predict(w, b, X_test)
    return {
        "w": w,
        "b": b,
        "costs": costs,
        "Y_prediction_train": Y_prediction_train,
        "Y_prediction_test": Y_prediction_test,
        "train_accuracy": float(np.mean(Y_prediction_train == Y_train)),
        "test_accuracy": float(np.mean(Y_prediction_test == Y_test)),
    }
