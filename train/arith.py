"""Multi-step integer arithmetic problems with exact answers and R1-style step-by-step traces.

A problem is an expression over non-negative integers with +, -, * and parentheses (2-5 operands,
numbers up to 3 digits), asked in one of many phrasings or as a short word problem. The trace
evaluates it one operation at a time, in the usual order (innermost parentheses, then * before
+ and -, left to right), and works each operation in columns, right to left, the way it is done
on paper, so every written digit depends only on a few digits already on the page:

    37 + 144: 7+4=11, 3+4+1=8, 0+1=1 so 181          (column sums, carry added as +1)
    181 - 19: 11-9=2, 8-1-1=6, 1-0=1 so 162          (a borrow shows as a leading 1)
    348 * 7: 8*7=56, 4*7+5=33, 3*7+3=24 so 2436      (carry added to the next product)
    348 * 27 = 348 * 7 + 348 * 20                    (two-digit multipliers: two rows and a sum)

The problems are chosen so that no intermediate value is negative or above 99999, and every
multiplication has a factor of at most two digits (the shorter factor is the multiplier).

    python3 train/arith.py --n 500 --seed 1234 > train/eval500.jsonl    # held-out set
"""
import argparse
import json
import random
import re

MAX_VALUE = 99999

# ---- expressions -------------------------------------------------------------------------------
# An expression is a list of items: ints, '+', '-', '*', '(' and ')'.


def render(expr, spaced=True):
    return "".join((" %s " % x if spaced else x) if x in ('+', '-', '*') else str(x) for x in expr)


def digits(n):
    return [int(c) for c in reversed(str(n))]  # least significant first


def column_add(a, b):
    """'a + b: ... so s' with one column per digit of the longer number."""
    da, db = digits(a), digits(b)
    n = max(len(da), len(db))
    cols, carry, out = [], 0, []
    for k in range(n):
        x = da[k] if k < len(da) else 0
        y = db[k] if k < len(db) else 0
        s = x + y + carry
        cols.append("%d+%d%s=%d" % (x, y, "+1" if carry else "", s))
        carry = s // 10
        out.append(s)
    return "%d + %d: %s so %d" % (a, b, ", ".join(cols), a + b)


def column_sub(a, b):
    """'a - b: ... so d' for a >= b; a column that borrows shows its top digit plus 10."""
    assert a >= b
    da, db = digits(a), digits(b)
    cols, borrow = [], 0
    for k in range(len(da)):
        x = da[k]
        y = db[k] if k < len(db) else 0
        top = x
        nb = 0
        if x - borrow - y < 0:
            top, nb = x + 10, 1
        cols.append("%d-%d%s=%d" % (top, y, "-1" if borrow else "", top - y - borrow))
        borrow = nb
    return "%d - %d: %s so %d" % (a, b, ", ".join(cols), a - b)


def column_mul1(a, m):
    """'a * m: ... so p' for a one-digit multiplier m."""
    cols, carry = [], 0
    for x in digits(a):
        p = x * m + carry
        cols.append("%d*%d%s=%d" % (x, m, ("+%d" % carry) if carry else "", p))
        carry = p // 10
    return "%d * %d: %s so %d" % (a, m, ", ".join(cols), a * m)


def mul_lines(a, b):
    """Lines that work out a * b (one factor has at most two digits)."""
    lines = []
    if len(str(a)) < len(str(b)):
        lines.append("%d * %d = %d * %d" % (a, b, b, a))
        a, b = b, a
    if b < 10:
        lines.append(column_mul1(a, b))
        return lines
    tens, units = divmod(b, 10)
    if units == 0:
        lines.append(column_mul1(a, tens) + ", %d * %d = %d" % (a, b, a * b))
        return lines
    lines.append("%d * %d = %d * %d + %d * %d" % (a, b, a, units, a, tens * 10))
    lines.append(column_mul1(a, units))
    lines.append(column_mul1(a, tens) + ", %d * %d = %d" % (a, tens * 10, a * tens * 10))
    lines.append(column_add(a * units, a * tens * 10))
    return lines


def op_ok(a, op, b):
    if op == '-':
        return a >= b
    if op == '+':
        return a + b <= MAX_VALUE
    la, lb = len(str(a)), len(str(b))
    return min(la, lb) <= 2 and max(la, lb) <= 4 and a * b <= MAX_VALUE


def apply(a, op, b):
    return a + b if op == '+' else a - b if op == '-' else a * b


def next_op(expr):
    """Index of the operator evaluated next."""
    lo, hi = 0, len(expr)
    if ')' in expr:
        hi = expr.index(')')
        lo = max(i for i in range(hi) if expr[i] == '(') + 1
    for i in range(lo, hi):
        if expr[i] == '*':
            return i
    for i in range(lo, hi):
        if expr[i] in ('+', '-'):
            return i
    raise ValueError("no operator")


def drop_single_parens(expr):
    changed = True
    while changed:
        changed = False
        for i in range(len(expr) - 2):
            if expr[i] == '(' and isinstance(expr[i + 1], int) and expr[i + 2] == ')':
                expr = expr[:i] + [expr[i + 1]] + expr[i + 3:]
                changed = True
                break
    return expr


def solve(expr):
    """(trace lines, value), or None when a step leaves the allowed range."""
    expr = list(expr)
    lines = [render(expr)]
    while len(expr) > 1:
        i = next_op(expr)
        a, op, b = expr[i - 1], expr[i], expr[i + 1]
        if not op_ok(a, op, b):
            return None
        if op == '+':
            lines.append(column_add(a, b))
        elif op == '-':
            lines.append(column_sub(a, b))
        else:
            lines.extend(mul_lines(a, b))
        expr = drop_single_parens(expr[:i - 1] + [apply(a, op, b)] + expr[i + 2:])
        if len(expr) > 1:
            lines.append(render(expr))
    return lines, expr[0]


def evaluate(text):
    """Plain evaluation of a rendered expression (a check independent of the trace)."""
    if not re.fullmatch(r"[0-9+\-* ()]+", text):
        raise ValueError(text)
    return eval(text, {"__builtins__": {}})


# ---- random problems ---------------------------------------------------------------------------

def rand_number(rng):
    nd = rng.choice([1, 2, 2, 3, 3])
    lo = 0 if nd == 1 else 10 ** (nd - 1)
    return rng.randint(lo, 10 ** nd - 1)


def rand_expr(rng):
    n = rng.choices([2, 3, 4, 5], weights=[3, 4, 3, 2])[0]
    nums = [rand_number(rng) for _ in range(n)]
    ops = [rng.choices(['+', '-', '*'], weights=[4, 3, 3])[0] for _ in range(n - 1)]
    for k, op in enumerate(ops):  # keep one factor small
        if op == '*' and min(nums[k], nums[k + 1]) >= 100:
            nums[k + 1] = rng.randint(2, 99)
    expr = []
    paren = None
    if n >= 3 and rng.random() < 0.35:
        start = rng.randint(0, n - 2)
        end = rng.randint(start + 1, min(n - 1, start + 2))
        if not (start == 0 and end == n - 1):
            paren = (start, end)
    for k in range(n):
        if paren and k == paren[0]:
            expr.append('(')
        expr.append(nums[k])
        if paren and k == paren[1]:
            expr.append(')')
        if k < n - 1:
            expr.append(ops[k])
    return expr


ASK = [
    "What is {e}?", "What is {e}?", "What is {e}?", "Compute {e}.", "Evaluate {e}.",
    "What is the value of {e}?", "Calculate {e}.", "Find the value of {e}.", "Work out {e}.",
    "{e} = ?", "How much is {e}?", "Solve {e}.", "{e}", "Please compute {e}.", "What does {e} equal?",
    "Can you calculate {e}?", "Evaluate the expression {e}.", "Compute the value of {e}.",
    "Find {e}.", "what is {e}", "compute {e}", "Calculate the value of {e}.", "Simplify {e}.",
]
WORD_OPS = {'+': ["plus"], '-': ["minus"], '*': ["times", "multiplied by"]}

NAMES = [("Ana", "she"), ("Ben", "he"), ("Maria", "she"), ("Tom", "he"), ("Lena", "she"), ("Omar", "he"),
         ("Sara", "she"), ("Raj", "he"), ("Yuki", "she"), ("Leo", "he"), ("Emma", "she"), ("Noah", "he"),
         ("Mia", "she"), ("Kofi", "he"), ("Ines", "she"), ("Ivan", "he"), ("Zoe", "she"), ("Sam", "he"),
         ("Nina", "she"), ("Ali", "he"), ("Grace", "she"), ("Lucas", "he"), ("Amara", "she"), ("Chen", "he")]
OBJECTS = ["apples", "marbles", "stickers", "books", "coins", "pencils", "cookies", "stamps", "cards",
           "shells", "eggs", "balloons", "oranges", "beads", "candies", "toy cars", "flowers", "buttons"]

# (question template, expression template); {a} {b} {c} {d} are numbers, {n} {m} names, {o} objects
WORD = [
    ("{n} has {a} {o}. {N} gets {b} more {o}. How many {o} does {n} have now?", "a + b"),
    ("{n} has {a} {o} and gives {b} of them to a friend. How many {o} does {n} have left?", "a - b"),
    ("{n} buys {a} boxes of {o}. Each box holds {b} {o}. How many {o} does {n} buy?", "a * b"),
    ("{n} has {a} {o}, buys {b} packs with {c} {o} in each pack, and then gives away {d}. "
     "How many {o} does {n} have now?", "a + b * c - d"),
    ("A shop has {a} rows of {o} with {b} in each row, plus {c} extra {o}. How many {o} does the shop have?",
     "a * b + c"),
    ("{n} had {a} {o}, lost {b}, and then found {c}. How many {o} does {n} have now?", "a - b + c"),
    ("{n} buys {c} bags. Each bag has {a} red {o} and {b} blue {o}. How many {o} are there in all?",
     "(a + b) * c"),
    ("{n} has {a} {o} and {m} has {b} {o}. How many {o} do they have together?", "a + b"),
    ("{n} has {a} {o}. {m} has {b} times as many. How many {o} does {m} have?", "a * b"),
    ("{n} reads {a} pages a day for {b} days and then {c} more pages. How many pages does {n} read in total?",
     "a * b + c"),
    ("There are {a} {o} in a jar. {n} takes {b} and {m} takes {c}. How many {o} are left in the jar?",
     "a - b - c"),
    ("{n} earns {a} dollars a week for {b} weeks and spends {c} dollars. How many dollars does {n} have left?",
     "a * b - c"),
    ("{n} has {a} {o} and buys {b} more, then gives {c} to {m}. How many {o} does {n} have now?",
     "a + b - c"),
    ("A class has {a} students. Each student brings {b} {o}, and the teacher brings {c} more. "
     "How many {o} are there?", "a * b + c"),
    ("{n} collects {a} {o} on Monday, {b} on Tuesday and {c} on Wednesday. How many {o} does {n} collect?",
     "a + b + c"),
    ("{n} packs {a} {o} into boxes of {b}, and fills {c} boxes. How many {o} are packed in the boxes?",
     "b * c"),
]


def parse_template(t, vals):
    out = []
    for tok in t.replace("(", "( ").replace(")", " )").split():
        out.append(vals[tok] if tok in vals else tok)
    return out


def word_problem(rng):
    while True:
        q, e = rng.choice(WORD)
        vals = {k: rand_number(rng) for k in "abcd"}
        for k in "abcd":
            if vals[k] < 2:
                vals[k] = rng.randint(2, 9)
        if "*" in e:  # counts of boxes, days, ... stay small
            if "b * c" in e:
                vals["c"] = rng.randint(2, 40)
            elif "a * b" in e:
                vals["b"] = rng.randint(2, 60)
            elif ") * c" in e:
                vals["c"] = rng.randint(2, 30)
        expr = parse_template(e, vals)
        sol = solve(expr)
        if sol is None:
            continue
        (n, pn), (m, _) = rng.sample(NAMES, 2)
        text = q.format(n=n, N=pn.capitalize(), m=m, o=rng.choice(OBJECTS), **{k: vals[k] for k in "abcd"})
        return text, expr, sol


def expression_problem(rng):
    while True:
        expr = rand_expr(rng)
        sol = solve(expr)
        if sol is None:
            continue
        r = rng.random()
        if r < 0.08 and '(' not in expr:
            e = " ".join(rng.choice(WORD_OPS[x]) if x in WORD_OPS else str(x) for x in expr)
        elif r < 0.25:
            e = render(expr, spaced=False)
        else:
            e = render(expr)
        return rng.choice(ASK).format(e=e), expr, sol


def problem(rng):
    """(question, thinking, answer text, value, expression): the expression keys held-out problems"""
    q, expr, (lines, value) = word_problem(rng) if rng.random() < 0.3 else expression_problem(rng)
    assert evaluate(render(expr)) == value
    return q, "\n".join(lines), "The answer is \\boxed{%d}." % value, value, render(expr)


def completion(thinking, answer):
    """The assistant's text after the generation prompt '<｜Assistant｜><think>\\n'."""
    return thinking + "\n</think>\n\n" + answer


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=500)
    ap.add_argument("--seed", type=int, default=1234)
    ap.add_argument("--show", action="store_true", help="print traces instead of JSON lines")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    seen = set()
    while len(seen) < args.n:
        q, thinking, answer, value, key = problem(rng)
        if key in seen:
            continue
        seen.add(key)
        if args.show:
            print(q + "\n<think>\n" + completion(thinking, answer) + "\n")
        else:
            print(json.dumps({"question": q, "answer": str(value), "expression": key}))


if __name__ == "__main__":
    main()
