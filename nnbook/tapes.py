"""Scalar computation graphs written as tapes, evaluated forward and drawn.

A tape is a list of nodes in the order they are computed (so in topological order), each a
tuple (operation, operands...):

    ("input", k)    inputs[k]               ("const", c)    the number c
    ("add", i, j)   v_i + v_j               ("mul", i, j)   v_i * v_j
    ("pow", i, p)   v_i ** p (p a number)   ("exp", i)      e ** v_i
    ("tanh", i)     tanh(v_i)               ("relu", i)     max(0, v_i)

Operands i, j are the indices of earlier nodes; the last node is the output. The backward
pass over a tape is chapter 4's exercise (``graph_backward``); this module only computes
values and draws pictures.
"""
import math

#: The operations of a tape and how many earlier nodes each one reads.
ARITY = {"input": 0, "const": 0, "add": 2, "mul": 2, "pow": 1, "exp": 1, "tanh": 1, "relu": 1}
SYMBOL = {"add": "+", "mul": "×", "exp": "exp", "tanh": "tanh", "relu": "relu"}


def forward(nodes, inputs):
    """The value of every node, in order. nodes: a tape; inputs: list of float.

    Returns values: list of float, values[k] the value of node k.
    """
    values = []
    for operation, *operands in nodes:
        if operation == "input":
            value = inputs[operands[0]]
        elif operation == "const":
            value = operands[0]
        elif operation == "add":
            value = values[operands[0]] + values[operands[1]]
        elif operation == "mul":
            value = values[operands[0]] * values[operands[1]]
        elif operation == "pow":
            value = values[operands[0]] ** operands[1]
        elif operation == "exp":
            value = math.exp(values[operands[0]])
        elif operation == "tanh":
            value = math.tanh(values[operands[0]])
        elif operation == "relu":
            value = max(0.0, values[operands[0]])
        else:
            raise ValueError(f"unknown operation {operation!r}")
        values.append(float(value))
    return values


def operand_nodes(node):
    """The indices of the earlier nodes a node reads (with repeats, e.g. [3, 3] for x * x)."""
    operation, *operands = node
    if operation == "pow":
        return [operands[0]]
    return list(operands[:ARITY[operation]])


def label(node, names=None, k=None):
    """A short text for a node: its name if given, else the operation, e.g. '×' or 'c = 2'."""
    if names and k is not None and k in names:
        return names[k]
    operation, *operands = node
    if operation == "input":
        return f"x{operands[0] + 1}"
    if operation == "const":
        return f"{operands[0]:g}"
    if operation == "pow":
        return f"^{operands[1]:g}"
    return SYMBOL[operation]


def depths(nodes):
    """The column of each node in a left-to-right drawing: 0 for leaves, else 1 + the deepest operand."""
    depth = []
    for node in nodes:
        operands = operand_nodes(node)
        depth.append(1 + max(depth[i] for i in operands) if operands else 0)
    return depth


def layout(nodes):
    """Positions {k: (x, y)}: columns by depth, nodes of a column spread evenly around y = 0."""
    depth = depths(nodes)
    positions = {}
    for column in sorted(set(depth)):
        members = [k for k, d in enumerate(depth) if d == column]
        for row, k in enumerate(members):
            positions[k] = (2.2 * column, 1.6 * ((len(members) - 1) / 2 - row))
    return positions


def draw_tape(ax, nodes, values=None, grads=None, names=None, positions=None, active=None, title=None):
    """Draw a tape as a graph, forward arrows left to right.

    values, grads: lists of float (or None) shown in and under each node, a gradient in red;
    either may hold None for a node whose value or gradient is not known yet. names: {k: text} for
    nodes to name (e.g. {0: "x", 5: "L"}); positions: {k: (x, y)}, by default ``layout``;
    active: index of the node whose local rule is being applied (drawn thick, and the
    arrows into it red).
    """
    # Imported here, not at the top: exercise notebooks use forward() and should not pay
    # for matplotlib's import (about a second) in every graded kernel.
    from matplotlib.patches import FancyArrowPatch

    from nnbook.plots import BACKWARD_COLOR

    positions = positions or layout(nodes)
    boxes = {}
    for k, node in enumerate(nodes):
        x, y = positions[k]
        text = label(node, names, k)
        if values is not None and values[k] is not None:
            text += f"\n{values[k]:.3g}"
        width = 2.5 if k == active else 1.0
        shown = ax.text(x, y, text, ha="center", va="center", fontsize=10, zorder=2,
                        bbox=dict(boxstyle="round,pad=0.4", fc="white", ec="black", lw=width))
        boxes[k] = shown.get_bbox_patch()
        if grads is not None and grads[k] is not None:
            ax.text(x, y - 0.62, f"grad {grads[k]:.3g}", ha="center", va="top", fontsize=9,
                    color=BACKWARD_COLOR, zorder=2)
    for k, node in enumerate(nodes):
        for slot, i in enumerate(operand_nodes(node)):
            bend = 0.35 * slot if operand_nodes(node).count(i) > 1 else 0.0
            color = BACKWARD_COLOR if k == active else "black"
            ax.add_patch(FancyArrowPatch(positions[i], positions[k], patchA=boxes[i], patchB=boxes[k],
                                         arrowstyle="-|>", mutation_scale=12, color=color,
                                         lw=2.0 if k == active else 1.1, shrinkA=2, shrinkB=2,
                                         connectionstyle=f"arc3,rad={bend}", zorder=3))
    xs = [x for x, _ in positions.values()]
    ys = [y for _, y in positions.values()]
    ax.set_xlim(min(xs) - 1.0, max(xs) + 1.0)
    ax.set_ylim(min(ys) - 1.4, max(ys) + 0.9)
    ax.axis("off")
    if title:
        ax.set_title(title)


def pass_frames(nodes):
    """The frames of a forward pass then a backward pass over a tape, one node at a time.

    Returns a list of (phase, active node or None, nodes whose value is known, nodes whose
    gradient is shown): the forward frames show the leaves, then each operation's value in
    tape order; the backward frames follow ``reverse_steps`` (every value known).
    """
    leaves = [k for k, node in enumerate(nodes) if not operand_nodes(node)]
    frames = [("forward", None, set(leaves), set())]
    for k, node in enumerate(nodes):
        if operand_nodes(node):
            frames.append(("forward", k, frames[-1][2] | {k}, set()))
    everything = set(range(len(nodes)))
    for active, shown in _backward_order(nodes):
        frames.append(("backward", active, everything, shown))
    return frames


def _backward_order(nodes):
    """(active node, gradients shown) for each backward step, as in ``reverse_steps``."""
    users = {k: set() for k in range(len(nodes))}
    for k, node in enumerate(nodes):
        for i in operand_nodes(node):
            users[i].add(k)
    shown, done = {len(nodes) - 1}, set()
    steps = [(None, set(shown))]
    for k in range(len(nodes) - 1, -1, -1):
        if not operand_nodes(nodes[k]):
            continue
        done.add(k)
        shown |= {i for i in operand_nodes(nodes[k]) if users[i] <= done}
        steps.append((k, set(shown)))
    return steps


def draw_pass_frame(fig, nodes, values, grads, frame, names=None):
    """Draw one frame of ``pass_frames(nodes)`` on an empty Figure and return its readout.

    values, grads: the tape's values and its final gradients (from a backward pass).
    """
    phase, active, known, shown = frame
    ax = fig.subplots()
    draw_tape(ax, nodes, values=[values[k] if k in known else None for k in range(len(nodes))],
              grads=[grads[k] if k in shown else None for k in range(len(nodes))], names=names,
              active=active, title=f"{phase} pass")
    if active is None:
        return ("forward: the inputs are given" if phase == "forward"
                else f"backward: the output's gradient is d{label(nodes[-1], names, len(nodes) - 1)}/d itself = 1")
    name = label(nodes[active], names, active)
    if phase == "forward":
        return f"forward: node {name} = {values[active]:.4g}, from nodes it reads, already known"
    targets = ", ".join(label(nodes[i], names, i) for i in dict.fromkeys(operand_nodes(nodes[active])))
    return (f"backward: node {name} (gradient {grads[active]:.4g}) passes its gradient times its "
            f"local derivative back to {targets}")
