"""Multi-step integer arithmetic problems with exact answers and R1-style step-by-step traces.

A problem is an expression over integers with +, -, * and parentheses (2-6 operands, numbers up to
4 digits, now and then a negative one; 40 % grown as random trees, so groups nest), asked in one
of many phrasings or as a short word problem. The trace
evaluates it one operation at a time, in the usual order (innermost parentheses, then * before
+ and -, left to right), and works each operation in columns, right to left, the way it is done
on paper, so every written digit depends only on a few digits already on the page:

    37 + 144: 7+4=11, 3+4+1=8, 0+1=1 so 181          (column sums, carry added as +1)
    181 - 19: 11-9=2, 8-1-1=6, 1-0=1 so 162          (a borrow shows as a leading 1)
    348 * 7: 8*7=56, 4*7+5=33, 3*7+3=24 so 2436      (carry added to the next product)
    348 * 27 = 348 * 7 + 348 * 20                    (two-digit multipliers: two rows and a sum)

    348 * 527 = 348 * 7 + 348 * 20 + 348 * 500       (longer multipliers: one row per digit)

Signs are settled before the digits, in words, and the digit work is always on magnitudes:

    624 - 1042: 1042 > 624, so it is -(1042 - 624)    then 1042 - 624 in columns, then
    so 624 - 1042 = -418
    (-7) * 12: one factor is negative, so -(7 * 12)   a + (-b) = a - b, a - (-b) = a + b

No intermediate value is above 999999 in size, and a product has a factor of at most three
digits (the other may have up to six, as in chained products). Besides single questions there
are follow-up turns (an earlier question and its answer, then a new question, which may use
"that" for the earlier answer), answers without a thought (for /think off: an empty thought, as
R1-0528 and Qwen3 write it), and answers written as JSON when the question asks for it.

    python3 train/arith.py --n 500 --seed 1234 --legacy > train/eval500.jsonl   # the first held-out set
"""
import argparse
import json
import random
import re

import bpe
from eval_gen import ABOUT_RESULT

EVAL_FOLLOW_UPS = {t for t, _, _ in ABOUT_RESULT}

MAX_VALUE = 999999

# ---- expressions -------------------------------------------------------------------------------
# An expression is a list of items: ints (negative ones too), '+', '-', '*', '(' and ')'.


def num(x):
    """A number as an operand: negative ones in parentheses."""
    return "(%d)" % x if x < 0 else str(x)


def render(expr, spaced=True):
    out, prev = [], None
    for x in expr:
        if x in ('+', '-', '*'):
            out.append(" %s " % x if spaced else x)
        elif isinstance(x, int) and x < 0 and prev in ('+', '-', '*'):
            out.append(num(x))  # 3 - (-4), not 3 - -4
        else:
            out.append(str(x))
        prev = x
    return "".join(out)


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
    """Lines that work out a * b for a, b >= 0: one row per non-zero digit of the shorter factor,
    then the rows added up (for a two-digit multiplier this is 'a * b = a * 7 + a * 20')."""
    lines = []
    if len(str(a)) < len(str(b)):
        lines.append("%d * %d = %d * %d" % (a, b, b, a))
        a, b = b, a
    if b < 10:
        lines.append(column_mul1(a, b))
        return lines
    parts = [d * 10 ** k for k, d in enumerate(digits(b)) if d]
    if len(parts) == 1:
        lines.append(column_mul1(a, int(str(b)[0])) + ", %d * %d = %d" % (a, b, a * b))
        return lines
    lines.append("%d * %d = " % (a, b) + " + ".join("%d * %d" % (a, p) for p in parts))
    for p in parts:
        if p < 10:
            lines.append(column_mul1(a, p))
        else:
            lines.append(column_mul1(a, int(str(p)[0])) + ", %d * %d = %d" % (a, p, a * p))
    total = a * parts[0]
    for p in parts[1:]:
        lines.append(column_add(total, a * p))
        total += a * p
    return lines


def compare_line(a, b):
    """Which of two numbers of as many digits is larger, digit by digit from the left."""
    parts = []
    for x, y in zip(str(a), str(b)):
        if x == y:
            parts.append("%s=%s" % (x, y))
            continue
        parts.append("%s%s%s" % (x, ">" if x > y else "<", y))
        break
    return "%d vs %d: %s so %s" % (a, b, ", ".join(parts), "%d is larger" % max(a, b) if a != b else "they are equal")


def sub_lines(a, b, round2=True):
    """a - b for a, b >= 0; a larger b turns it around: 624 - 1042 = -(1042 - 624). Round 2
    compares numbers of as many digits first, digit by digit."""
    lines = [compare_line(a, b)] if round2 and len(str(a)) == len(str(b)) and a >= 10 else []
    if a >= b:
        return lines + [column_sub(a, b)]
    return lines + ["%d - %d: %d > %d, so it is -(%d - %d)" % (a, b, b, a, b, a), column_sub(b, a),
                    "so %d - %d = %d" % (a, b, a - b)]


def op_lines(a, op, b, round2=True):
    """Lines that work out one operation on signed numbers: the sign first, in words, then the
    digits on the magnitudes."""
    if not round2:  # the first model's problems: nothing negative
        return [column_add(a, b)] if op == '+' else [column_sub(a, b)] if op == '-' else mul_lines(a, b)
    sa, sb = num(a), num(b)
    if op == '*':
        if a >= 0 and b >= 0:
            return mul_lines(a, b)
        if (a < 0) != (b < 0):
            return (["%s * %s: one factor is negative, so -(%d * %d)" % (sa, sb, abs(a), abs(b))] +
                    mul_lines(abs(a), abs(b)) + ["so %s * %s = %d" % (sa, sb, a * b)])
        return ["%s * %s: both factors are negative, so %d * %d" % (sa, sb, -a, -b)] + mul_lines(-a, -b)
    if op == '-' and b < 0:
        return ["%s - %s = %s + %d" % (sa, sb, sa, -b)] + op_lines(a, '+', -b)
    if op == '+':
        if a >= 0 and b >= 0:
            return [column_add(a, b)]
        if a >= 0:
            return ["%s + %s = %d - %d" % (sa, sb, a, -b)] + sub_lines(a, -b)
        if b >= 0:
            return ["%s + %s = %d - %d" % (sa, sb, b, -a)] + sub_lines(b, -a)
        return ["%s + %s = -(%d + %d)" % (sa, sb, -a, -b), column_add(-a, -b), "so %s + %s = %d" % (sa, sb, a + b)]
    if a >= 0:
        return sub_lines(a, b)
    return ["%s - %s = -(%d + %d)" % (sa, sb, -a, b), column_add(-a, b), "so %s - %s = %d" % (sa, sb, a - b)]


def op_ok(a, op, b, round2):
    """Round 1 (the first model): nothing negative, results up to 99999, a factor of at most two
    digits. Round 2: signs, results up to 999999, a factor of at most three digits."""
    if not round2:
        if op == '-':
            return a >= b
        if op == '+':
            return a + b <= 99999
        la, lb = len(str(a)), len(str(b))
        return min(la, lb) <= 2 and max(la, lb) <= 4 and a * b <= 99999
    if abs(apply(a, op, b)) > MAX_VALUE:
        return False
    if op == '*':  # round 4: the longer factor may have 5 or 6 digits (chained products)
        la, lb = len(str(abs(a))), len(str(abs(b)))
        return min(la, lb) <= 3
    return True


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


def solve(expr, round2=False, allow_negative=True):
    """(trace lines, value), or None when a step leaves the allowed range."""
    expr = list(expr)
    lines = [render(expr)]
    while len(expr) > 1:
        i = next_op(expr)
        a, op, b = expr[i - 1], expr[i], expr[i + 1]
        if not op_ok(a, op, b, round2) or (not allow_negative and apply(a, op, b) < 0):
            return None
        lines.extend(op_lines(a, op, b, round2))
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

def rand_number(rng, round2=False):
    nd = rng.choice([1, 2, 2, 3, 3, 3, 4] if round2 else [1, 2, 2, 3, 3])
    lo = 0 if nd == 1 else 10 ** (nd - 1)
    return rng.randint(lo, 10 ** nd - 1)


def rand_expr(rng, round2=False):
    if round2:
        n = rng.choices([2, 3, 4, 5, 6], weights=[3, 4, 3, 2, 1.5])[0]
    else:
        n = rng.choices([2, 3, 4, 5], weights=[3, 4, 3, 2])[0]
    nums = [rand_number(rng, round2) for _ in range(n)]
    ops = [rng.choices(['+', '-', '*'], weights=[4, 3, 3])[0] for _ in range(n - 1)]
    for k, op in enumerate(ops):  # keep one factor small (round 2: mostly)
        if op == '*' and min(nums[k], nums[k + 1]) >= 100 and (not round2 or rng.random() < 0.6):
            nums[k + 1] = rng.randint(2, 99)
    if round2 and rng.random() < 0.12:  # a negative number in the question
        k = rng.randrange(n)
        nums[k] = -max(1, nums[k])
    expr = []
    spans = []  # (first, last) operand of each parenthesized group
    if n >= 3 and rng.random() < 0.35:
        start = rng.randint(0, n - 2)
        end = rng.randint(start + 1, min(n - 1, start + 2))
        if not (start == 0 and end == n - 1):
            spans.append((start, end))
    if round2 and spans and n >= 4 and rng.random() < 0.4:  # a second group, beside the first or around it
        (s1, e1), s2 = spans[0], rng.randint(0, n - 2)
        e2 = rng.randint(s2 + 1, min(n - 1, s2 + 3))
        beside = e2 < s1 or s2 > e1
        around = s2 <= s1 and e1 <= e2 and (s2, e2) != (s1, e1)
        if (beside or around) and not (s2 == 0 and e2 == n - 1):
            spans.append((s2, e2))
    for k in range(n):
        expr.extend('(' * sum(s == k for s, _ in spans))
        expr.append(nums[k])
        expr.extend(')' * sum(e == k for _, e in spans))
        if k < n - 1:
            expr.append(ops[k])
    return expr


def rand_tree_expr(rng):
    """Round 4: an expression grown as a random binary tree (groups inside groups, products of
    groups), written with only the parentheses it needs. rand_expr's operand lists rarely nest."""
    prec = {'+': 1, '-': 1, '*': 2}

    def grow(n_leaves, small=False):
        if n_leaves == 1:
            return [rng.randint(2, 60) if small else rand_number(rng, True)], None
        op = rng.choices(['+', '-', '*'], weights=[4, 4, 3])[0]
        k = rng.randint(1, n_leaves - 1)
        left, lop = grow(k, small)
        right, rop = grow(n_leaves - k, small or op == '*')  # one side of a product stays small
        if lop is not None and prec[lop] < prec[op]:
            left = ['('] + left + [')']
        if rop is not None and prec[rop] <= prec[op]:
            right = ['('] + right + [')']
        return left + [op] + right, op

    expr, _ = grow(rng.choices([2, 3, 4, 5, 6], weights=[1, 3, 4, 3, 2])[0])
    return expr


ASK = [
    "What is {e}?", "What is {e}?", "What is {e}?", "Compute {e}.", "Evaluate {e}.",
    "What is the value of {e}?", "Calculate {e}.", "Find the value of {e}.", "Work out {e}.",
    "{e} = ?", "How much is {e}?", "Solve {e}.", "{e}", "Please compute {e}.", "What does {e} equal?",
    "Can you calculate {e}?", "Evaluate the expression {e}.", "Compute the value of {e}.",
    "Find {e}.", "what is {e}", "compute {e}", "Calculate the value of {e}.", "Simplify {e}.",
]
# Round 2 adds these; the separate evaluation set (train/eval_gen.py) asks in phrasings of its own
# that appear in neither list, to measure transfer.
ASK2 = [
    "What is the result of {e}?", "Evaluate: {e}", "Compute: {e}", "Find the result of {e}.",
    "What do you get for {e}?", "Work out the value of {e}.", "Calculate: {e}", "{e} equals?",
    "What is {e} equal to?", "Please evaluate {e}.", "Tell me {e}.", "What is {e} ?", "Can you solve {e}?",
    "Give me {e}.", "Please work out {e}.", "What's the answer to {e}?", "Solve for the value: {e}",
]
JSON_ASK = [" Answer in JSON.", " Reply with JSON: {\"answer\": <integer>}.", " Give the answer as JSON.",
            " Respond in JSON with the key \"answer\".", " Answer as a JSON object."]
FOLLOW = [  # a follow-up that uses the previous answer p, which {R} names
    ("Now add {b} to {R}.", "p + b"), ("Add {b} to {R}.", "p + b"), ("What is {R} plus {b}?", "p + b"),
    ("Subtract {b} from {R}.", "p - b"), ("And {R} minus {b}?", "p - b"), ("Take away {b} from {R}.", "p - b"),
    ("What is {b} minus {R}?", "b - p"), ("Now multiply {R} by {c}.", "p * c"), ("What is {R} times {c}?", "p * c"),
    ("Double {R}.", "p * 2"), ("Triple {R}.", "p * 3"), ("Now subtract {R} from {b}.", "b - p"),
    ("Increase {R} by {b}.", "p + b"), ("Decrease {R} by {b}.", "p - b"), ("What if we add {b} to {R}?", "p + b"),
    ("Then take {b} away from {R}.", "p - b"), ("Multiply {R} by {c}.", "p * c"), ("And {b} plus {R}?", "b + p"),
    ("What do you get when you subtract {b} from {R}?", "p - b"), ("Now {R} times {c}?", "p * c"),
]
REFERENTS = ["that", "that", "it", "the result", "the answer", "this", "that number", "the last answer"]
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
        out.append(vals[tok] if tok in vals else int(tok) if tok.isdigit() else tok)
    return out


def word_problem(rng, round2=False):
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
        sol = solve(expr, round2, allow_negative=False)  # a story never goes below nothing
        if sol is None:
            continue
        (n, pn), (m, _) = rng.sample(NAMES, 2)
        text = q.format(n=n, N=pn.capitalize(), m=m, o=rng.choice(OBJECTS), **{k: vals[k] for k in "abcd"})
        return text, expr, sol


def expression_problem(rng, round2=False):
    while True:
        if round2 and rng.random() < 0.08:  # two three-digit factors
            expr = [rng.randint(100, 999), '*', rng.randint(100, 999)]
        elif round2 and rng.random() < 0.4:
            expr = rand_tree_expr(rng)
        else:
            expr = rand_expr(rng, round2)
        sol = solve(expr, round2)
        if sol is None:
            continue
        r = rng.random()
        if r < 0.08 and '(' not in expr and min(x for x in expr if isinstance(x, int)) >= 0:
            e = " ".join(rng.choice(WORD_OPS[x]) if x in WORD_OPS else str(x) for x in expr)
        elif r < 0.25:
            e = render(expr, spaced=False)
        else:
            e = render(expr)
        return rng.choice(ASK + ASK2 if round2 else ASK).format(e=e), expr, sol


def problem(rng, round2=False):
    """(question, thinking, answer text, value, expression): the expression keys held-out problems"""
    if rng.random() < (0.2 if round2 else 0.3):
        q, expr, (lines, value) = word_problem(rng, round2)
    else:
        q, expr, (lines, value) = expression_problem(rng, round2)
    assert evaluate(render(expr)) == value
    return q, "\n".join(lines), "The answer is \\boxed{%d}." % value, value, render(expr)


def boxed(value):
    return "The answer is \\boxed{%d}." % value


def small_problem(rng):
    """One operation on small numbers: what a model can answer without a thought."""
    while True:
        op = rng.choice(['+', '-', '*'])
        a, b = rng.randint(0, 99), rng.randint(0, 99 if op != '*' else 12)
        if op == '*' and rng.random() < 0.5:
            a, b = b, a
        expr = [a, op, b]
        sol = solve(expr, True)
        if sol is not None:
            e = render(expr, spaced=rng.random() < 0.8)
            return rng.choice(ASK + ASK2).format(e=e), expr, sol


def follow_up(rng, p):
    """A question about the previous answer p: (question, expression). The sentences of the
    separate evaluation set (train/eval_gen.py) are never used."""
    while True:
        q, e = rng.choice(FOLLOW)
        q = q.replace("{R}", rng.choice(REFERENTS))
        if q in EVAL_FOLLOW_UPS:
            continue
        b, c = rand_number(rng, True), rng.randint(2, 20)
        expr = parse_template(e, {"p": p, "b": b, "c": c})
        if solve(expr, True) is not None:
            return q.format(b=b, c=c), expr


def example(rng, kinds=("single", "follow", "json", "nothink")):
    """A round-2 training example as chat text: {"prompt", "completion", "value", "key", "kind"}.
    The prompt is what r1.h's template renders (earlier answers keep only what follows </think>);
    the completion is what the model writes, without the end-of-sentence token."""
    r = rng.random()
    kind = "nothink" if r < 0.12 else "json" if r < 0.18 else "follow" if r < 0.38 else "single"
    if kind not in kinds:
        kind = "single"
    turns = []
    if kind == "follow":  # one or two answered questions first
        for _ in range(rng.choice([1, 1, 2])):
            q, _, _, value, _ = problem(rng, True)
            turns.append((q, boxed(value)))
    if kind == "nothink":
        q, expr, (lines, value) = small_problem(rng)
        return {"prompt": bpe.chat_text(turns, q) + "\n</think>\n\n", "completion": boxed(value), "value": value,
                "key": render(expr), "kind": kind}
    if kind == "follow" and rng.random() < 0.45:  # "... that": the previous answer is the first operand
        p = int(re.findall(r"boxed\{(-?[0-9]+)\}", turns[-1][1])[0])
        q, expr = follow_up(rng, p)
        lines, value = solve(expr, True)
        thinking = "That is the previous answer, %d.\n" % p + "\n".join(lines)
        key = render(expr)
    else:
        q, thinking, _, value, key = problem(rng, True)
    if kind == "json":
        q += rng.choice(JSON_ASK)
    answer = '{"answer": %d}' % value if kind == "json" else boxed(value)
    return {"prompt": bpe.chat_text(turns, q), "completion": completion(thinking, answer), "value": value,
            "key": key, "kind": kind}


def completion(thinking, answer):
    """The assistant's text after the generation prompt '<｜Assistant｜><think>\\n'."""
    return thinking + "\n</think>\n\n" + answer


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=500)
    ap.add_argument("--seed", type=int, default=1234)
    ap.add_argument("--round", type=int, default=2, choices=[1, 2], help="1: the first model's problems (eval500)")
    ap.add_argument("--show", action="store_true", help="print traces instead of JSON lines")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    seen = set()
    if args.show and args.round == 2:
        for _ in range(args.n):
            ex = example(rng)
            print(ex["prompt"] + ex["completion"] + "\n")
        return
    while len(seen) < args.n:
        q, thinking, answer, value, key = problem(rng, args.round == 2)
        if key in seen:
            continue
        seen.add(key)
        if args.show:
            print(q + "\n<think>\n" + completion(thinking, answer) + "\n")
        else:
            print(json.dumps({"question": q, "answer": str(value), "expression": key}))


if __name__ == "__main__":
    main()
