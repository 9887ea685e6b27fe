"""Benchmark: chapter 7's NumPy network against scikit-learn's MLPClassifier, trained the same way.

    .venv/bin/python benchmarks/capstone_vs_sklearn.py [--runs 5] [--epochs 20] [--hidden 128]
                                                       [--lambd 0.0] [--threads 1]

Both train the same model on the book's digits split (pixels divided by 16): one hidden
layer of ReLU units, a softmax output on the cross-entropy, Adam at a constant rate of 0.01
with the default betas and epsilon, shuffled mini-batches of 32, the same number of epochs,
and the same L2 strength (our lambd is scikit-learn's alpha: both add lambd / (2 m) times
the squared weights to the mean loss of a batch of m). scikit-learn has no dropout, so ours
runs without it too (its chapter setting, keep_prob 0.8, is timed on one more line). The two
start from different random weights (He's normal against Glorot's uniform) and shuffle
differently, so each is run --runs times from different seeds, interleaved, and the table
shows the median seconds per epoch and the mean test accuracy (with its spread). Our time
includes what train_digits does every epoch on top of training, measuring the training and
development accuracies; scikit-learn's includes its input checks and its loss on every
batch. The BLAS threads are set before NumPy loads (--threads, 1 by default, as the book
builds), the same for both.
"""
import argparse
import os
import sys
import time


def parse():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs of each, from different seeds (default 5)")
    parser.add_argument("--epochs", type=int, default=20, help="epochs of every run (default 20)")
    parser.add_argument("--hidden", type=int, default=128, help="hidden ReLU units (default 128)")
    parser.add_argument("--lambd", type=float, default=0.0, help="L2 strength, scikit-learn's alpha (default 0)")
    parser.add_argument("--threads", type=int, default=1, help="BLAS threads for both (default 1)")
    return parser.parse_args()


def main():
    args = parse()
    if args.runs < 1 or args.epochs < 1 or args.hidden < 1 or args.lambd < 0 or args.threads < 1:
        sys.exit("capstone_vs_sklearn: --runs, --epochs, --hidden and --threads must be positive, --lambd >= 0")
    for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[variable] = str(args.threads)

    import warnings

    import numpy as np
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    from nnbook.data import load_digits
    from solutions.ch03_softmax import one_hot
    from solutions.ch07_capstone import predict_digits, train_digits

    digits = load_digits()
    X_train, X_dev, X_test = digits.X_train / 16, digits.X_dev / 16, digits.X_test / 16
    Y_train, Y_dev = one_hot(digits.Y_train, 10), one_hot(digits.Y_dev, 10)

    def ours(seed, keep_prob=1.0):
        start = time.perf_counter()
        params, _ = train_digits(X_train, Y_train, X_dev, Y_dev, [64, args.hidden, 10], np.random.default_rng(seed),
                                 keep_prob=keep_prob, lambd=args.lambd, learning_rate=0.01,
                                 num_epochs=args.epochs, batch_size=32)
        seconds = time.perf_counter() - start
        return seconds / args.epochs, float(np.mean(predict_digits(X_test, params) == digits.Y_test))

    def theirs(seed):
        model = MLPClassifier(hidden_layer_sizes=(args.hidden,), activation="relu", solver="adam", alpha=args.lambd,
                              batch_size=32, learning_rate_init=0.01, max_iter=args.epochs, shuffle=True, tol=0.0,
                              n_iter_no_change=args.epochs + 1, random_state=seed)
        start = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)  # it stops after max_iter epochs, as asked
            model.fit(X_train.T, digits.Y_train[0])
        seconds = time.perf_counter() - start
        assert model.n_iter_ == args.epochs, model.n_iter_
        return seconds / args.epochs, float(model.score(X_test.T, digits.Y_test[0]))

    results = {"ours": [], "scikit-learn": [], "ours, keep_prob 0.8": []}
    ours(0), theirs(0)  # warm up: imports, caches
    for seed in range(args.runs):
        results["ours"].append(ours(seed))
        results["scikit-learn"].append(theirs(seed))
        results["ours, keep_prob 0.8"].append(ours(seed, keep_prob=0.8))

    print(f"digits: {X_train.shape[1]} training, {X_test.shape[1]} test examples; layers [64, {args.hidden}, 10], "
          f"ReLU, Adam 0.01, batches of 32, {args.epochs} epochs, lambd = alpha = {args.lambd}; "
          f"{args.runs} runs each, {args.threads} BLAS thread(s); NumPy {np.__version__}")
    print(f"{'':>22} {'s / epoch (median)':>19} {'test accuracy (mean +- sd)':>28}")
    summary = {}
    for name, rows in results.items():
        seconds, accuracies = np.array(rows).T
        summary[name] = (float(np.median(seconds)), float(np.mean(accuracies)))
        print(f"{name:>22} {summary[name][0]:>19.4f} {summary[name][1]:>19.4f} +- {np.std(accuracies):.4f}")
    ratio = summary["scikit-learn"][0] / summary["ours"][0]
    gap = summary["ours"][1] - summary["scikit-learn"][1]
    print(f"scikit-learn's time / ours: {ratio:.2f} (above 1: ours is faster); "
          f"test accuracy, ours - scikit-learn: {100 * gap:+.2f} points")


if __name__ == "__main__":
    main()
