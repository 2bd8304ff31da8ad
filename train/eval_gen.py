"""A second held-out set for r1-tiny, written apart from train/arith.py so that it can show what the
training generator's own held-out set cannot: whether the model learnt arithmetic or the
generator. Expressions are random trees (not arith.py's operand lists), evaluated by Python, with
their own phrasings, number ranges (addends up to 1,500) and shapes; 20 % of the answers are
negative. Each line is {"question", "answer", "expression", "category"} plus, where the category
needs it, "messages" (earlier turns, before the question) or "think": false.

Categories (300 problems): plain (70), negative (60), product3x3 (40), followup (50: an
answered question, then a new one or one about "the result"), phrasing (50: phrasings that
train/arith.py never uses), think_off (30: one small operation, answered without a thought).

    python3 train/eval_gen.py --seed 77 > train/eval-sep.jsonl
"""
import argparse
import json
import random

LIMIT = 999999  # no value on the way may be larger in size (what r1-tiny was trained on)

ASK = ["What is {e}?", "Compute {e}.", "Evaluate {e}.", "What is the value of {e}?", "Calculate {e}."]
HELD_OUT_ASK = ["Determine {e}.", "What's {e}?", "Give me the result of {e}.", "I need the value of {e}.",
                "Quick question: what is {e}?", "Could you work out {e}?", "Figure out {e}.",
                "What number is {e}?", "Help me compute {e}.", "Do the math: {e}", "Tell me the value of {e}.",
                "Find out what {e} is."]
ABOUT_RESULT = [("Add {b} to the result.", "+", False), ("Now subtract {b} from the result.", "-", False),
                ("Multiply the result by {c}.", "*", False), ("What do you get if you add {b} to it?", "+", False),
                ("And {b} minus the result?", "-", True)]

PREC = {"+": 1, "-": 1, "*": 2}


class Node:
    """A number (op None) or an operation on two nodes."""

    def __init__(self, op=None, left=None, right=None, value=None):
        self.op, self.left, self.right, self.value = op, left, right, value

    def eval(self):
        """The value, or None when a step is out of range or multiplies two long numbers."""
        if self.op is None:
            return self.value
        x, y = self.left.eval(), self.right.eval()
        if x is None or y is None:
            return None
        if self.op == "*" and min(len(str(abs(x))), len(str(abs(y)))) > 3:
            return None
        v = x + y if self.op == "+" else x - y if self.op == "-" else x * y
        return v if abs(v) <= LIMIT else None

    def text(self, parent_prec=0, right_side=False):
        if self.op is None:
            return "(%d)" % self.value if self.value < 0 and parent_prec else str(self.value)
        p = PREC[self.op]
        s = "%s %s %s" % (self.left.text(p), self.op, self.right.text(p, True))
        need = p < parent_prec or (right_side and p == parent_prec and parent_prec == 1)
        return "(" + s + ")" if need else s


def leaf(rng, lo, hi):
    return Node(value=rng.randint(lo, hi))


def tree(rng, n_ops, big=1500):
    """A random expression with n_ops operators; factors of products are kept small."""
    if n_ops == 0:
        return leaf(rng, 1, big)
    op = rng.choices(["+", "-", "*"], weights=[5, 4, 3])[0]
    k = rng.randint(0, n_ops - 1)
    if op == "*":
        left = tree(rng, k, 300) if k else leaf(rng, 2, 300)
        right = leaf(rng, 2, 60) if n_ops - 1 - k == 0 else tree(rng, n_ops - 1 - k, 60)
    else:
        left, right = tree(rng, k, big), tree(rng, n_ops - 1 - k, big)
    return Node(op, left, right)


def expression(rng, want, n_ops=None):
    """(text, value) of a random expression whose value is negative (want < 0) or not (want >= 0)."""
    while True:
        t = tree(rng, n_ops if n_ops is not None else rng.randint(1, 4))
        v = t.eval()
        if v is not None and (v < 0) == (want < 0):
            return t.text(), v


def check(text, value):
    assert eval(text, {"__builtins__": {}}) == value, (text, value)


def make(rng, category):
    ask = rng.choice(ASK)
    if category == "plain":
        e, v = expression(rng, 0)
        return {"question": ask.format(e=e), "answer": v, "expression": e}
    if category == "negative":
        if rng.random() < 0.25:  # a negative number in the question itself
            a, b = rng.randint(1, 900), rng.randint(1, 900)
            e = rng.choice(["-%d + %d" % (a, b), "%d * (-%d)" % (rng.randint(2, 99), b), "-%d - %d" % (a, b)])
            v = eval(e, {"__builtins__": {}})
            if v >= 0:
                e, v = "-%d - %d" % (a, b), -a - b
        else:
            e, v = expression(rng, -1)
        return {"question": ask.format(e=e), "answer": v, "expression": e}
    if category == "product3x3":
        a, b = rng.randint(101, 999), rng.randint(101, 999)
        e, v = "%d * %d" % (a, b), a * b
        if rng.random() < 0.3:
            c = rng.randint(1, 999)
            e, v = e + " + %d" % c, v + c
        return {"question": ask.format(e=e), "answer": v, "expression": e}
    if category == "phrasing":
        e, v = expression(rng, 0)
        return {"question": rng.choice(HELD_OUT_ASK).format(e=e), "answer": v, "expression": e}
    if category == "think_off":
        op = rng.choice(["+", "-", "*"])
        a, b = rng.randint(1, 60), rng.randint(1, 9 if op == "*" else 60)
        if op == "-" and b > a:
            a, b = b, a
        e = "%d %s %d" % (a, op, b)
        return {"question": ask.format(e=e), "answer": eval(e), "expression": e, "think": False}
    # followup: one answered question, then either a new one or one about its result
    e1, v1 = expression(rng, 0, rng.randint(1, 2))
    messages = [{"role": "user", "content": ask.format(e=e1)},
                {"role": "assistant", "content": "The answer is \\boxed{%d}." % v1}]
    if rng.random() < 0.5:
        e, v = expression(rng, 0)
        q = rng.choice(ASK).format(e=e)
    else:
        while True:
            tmpl, op, swap = rng.choice(ABOUT_RESULT)
            b, c = rng.randint(1, 999), rng.randint(2, 12)
            other = c if op == "*" else b
            e = "%d %s %d" % ((other, op, v1) if swap else (v1, op, other))
            v = eval(e)
            if v >= 0 and abs(v) <= LIMIT:
                break
        q = tmpl.format(b=b, c=c)
    return {"question": q, "answer": v, "expression": e, "messages": messages}


COUNTS = [("plain", 70), ("negative", 60), ("product3x3", 40), ("followup", 50), ("phrasing", 50), ("think_off", 30)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=77)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    seen, out = set(), []
    for cat, n in COUNTS:
        k = 0
        while k < n:
            p = make(rng, cat)
            if (cat, p["expression"]) in seen:
                continue
            seen.add((cat, p["expression"]))
            check(p["expression"], p["answer"])
            p["answer"] = str(p["answer"])
            p["category"] = cat
            out.append(p)
            k += 1
    rng.shuffle(out)
    for p in out:
        print(json.dumps(p))


if __name__ == "__main__":
    main()
