#!/usr/bin/env python3
"""Seeded generator of arithmetic problems with independent parts, solved in the Multiverse grammar.

A problem is two to four parenthesised sub-expressions over integers 0 to 999 with + - *,
combined by + and - (and * between two sums or differences), for example
"What is (37 + 48) * (12 - 5)?". The Multiverse solution computes each sub-expression in its own
path and the conclusion combines the results; a product of two multi-digit numbers splits again
into a nested block, one path per partial product. The sequential solution writes the same
steps one after another, with no tags.

Every step is local: one column of digits, with the running partial result written out, so the
model never has to carry information far.

    python3 python/arith_data.py --count 3 --seed 1          # print a few problems
"""

import argparse
import random

# ------------------------------------------------------------------ one operation, step by step


def column_add(x, y):
    """'7 + 8 + 0 = 15, 5; 3 + 4 + 1 = 8, 85.' for x, y >= 0 (columns from the right)."""
    xs, ys = str(x)[::-1], str(y)[::-1]
    carry, digits, steps = 0, "", []
    for i in range(max(len(xs), len(ys))):
        a = int(xs[i]) if i < len(xs) else 0
        b = int(ys[i]) if i < len(ys) else 0
        s = a + b + carry
        digits = str(s % 10) + digits
        steps.append(f"{a} + {b} + {carry} = {s}, {digits}")
        carry = s // 10
    if carry:
        steps.append(f"carry 1, 1{digits}")
    return "; ".join(steps) + "."


def column_subtract(x, y):
    """Column subtraction with borrows for x >= y >= 0."""
    xs, ys = str(x)[::-1], str(y)[::-1]
    borrow, digits, steps = 0, "", []
    for i in range(len(xs)):
        a = int(xs[i])
        b = int(ys[i]) if i < len(ys) else 0
        r = a - b - borrow
        step = f"{a} - {b} - {borrow} = {r}"
        borrow = 1 if r < 0 else 0
        if r < 0:
            r += 10
            step += f", plus 10 = {r}, borrow 1"
        digits = str(r) + digits
        steps.append(f"{step}, {digits}")
    return "; ".join(steps) + f", that is {x - y}."


def column_multiply_digit(x, d):
    """x * d for x >= 0 and one digit d, columns from the right."""
    carry, digits, steps = 0, "", []
    for ch in str(x)[::-1]:
        v = int(ch) * d + carry
        digits = str(v % 10) + digits
        steps.append(f"{ch} * {d} + {carry} = {v}, {digits}")
        carry = v // 10
    if carry:
        steps.append(f"carry {carry}, {carry}{digits}")
    return "; ".join(steps) + "."


def partial_products(x, y):
    """The terms of x * y, one per nonzero digit of y: [(digit, zeros)], lowest place first."""
    return [(int(d), k) for k, d in enumerate(str(y)[::-1]) if d != "0"]


def partial_product(x, d, zeros):
    """Lines computing x * (d followed by zeros)."""
    lines = [f"{x} * {d}: {column_multiply_digit(x, d)}", f"So {x} * {d} = {x * d}."]
    if zeros:
        lines.append(f"So {x} * {d}{'0' * zeros} = {x * d}{'0' * zeros}.")
    return lines


def sum_chain(terms):
    """Lines adding terms left to right; returns (lines, total)."""
    lines, total = [], terms[0]
    for t in terms[1:]:
        lines += [f"{total} + {t}: {column_add(total, t)}", f"So {total} + {t} = {total + t}."]
        total += t
    return lines, total


def magnitude(op, x, y, nested_id=None):
    """Lines computing x op y on magnitudes (x >= y for '-'). With nested_id, a product of two
    multi-digit numbers becomes a nested Multiverse block with one path per partial product."""
    if op == "+":
        return [f"{x} + {y}: {column_add(x, y)}", f"So {x} + {y} = {x + y}."]
    if op == "-":
        return [f"{x} - {y}: {column_subtract(x, y)}", f"So {x} - {y} = {x - y}."]
    if x < y:
        return [f"{x} * {y} = {y} * {x}."] + magnitude("*", y, x, nested_id)[:-1] + [f"So {x} * {y} = {x * y}."]
    terms = partial_products(x, y)
    if not terms:
        return [f"So {x} * {y} = 0."]
    if len(terms) == 1:
        d, k = terms[0]
        return partial_product(x, d, k) + ([f"So {x} * {y} = {x * y}."] if k else [])
    split = f"{x} * {y} = " + " + ".join(f"{x} * {d}{'0' * k}" for d, k in terms) + "."
    values = [x * d * 10 ** k for d, k in terms]
    adds, total = sum_chain(values)
    if nested_id is None:
        body = [line for d, k in terms for line in partial_product(x, d, k)]
        return [split] + body + adds + [f"So {x} * {y} = {total}."]
    ids = [f"{nested_id}.{i + 1}" for i in range(len(terms))]
    block = ["Let's think in parallel.", "<Parallel>", "<Goal>"]
    for pid, (d, k) in zip(ids, terms):
        block += ["<Outline>", f"{pid}: {x} * {d}{'0' * k}", "</Outline>"]
    block.append("</Goal>")
    for pid, (d, k) in zip(ids, terms):
        block += ["<Path>", f"{pid}: {x} * {d}{'0' * k}"] + partial_product(x, d, k) + ["</Path>"]
    block += ["<Conclusion>"] + adds + [f"So {x} * {y} = {total}.", "</Conclusion>", "</Parallel>"]
    return [split] + block + [f"So {x} * {y} = {total}."]


def signed(op, a, b, nested_id=None):
    """Lines computing a op b for any integers: a sign rewrite when needed, then magnitudes."""
    if op == "*":
        negative = (a < 0) != (b < 0) and a != 0 and b != 0
        mop, x, y = "*", abs(a), abs(b)
    else:
        t = b if op == "+" else -b                     # a op b = a + t
        if (a >= 0) == (t >= 0):
            mop, x, y, negative = "+", abs(a), abs(t), a < 0
        elif abs(a) >= abs(t):
            mop, x, y, negative = "-", abs(a), abs(t), a < 0
        else:
            mop, x, y, negative = "-", abs(t), abs(a), t < 0
    lines = magnitude(mop, x, y, nested_id)
    plain = a >= 0 and b >= 0 and (op, x, y) == (mop, a, b)
    if plain:
        return lines, a * b if op == "*" else a + b if op == "+" else a - b
    result = -(x * y if mop == "*" else x + y if mop == "+" else x - y) if negative else \
        (x * y if mop == "*" else x + y if mop == "+" else x - y)
    rewrite = f"{a} {op} {b} = {'-' if negative else ''}({x} {mop} {y})."
    return [rewrite] + lines + [f"So {a} {op} {b} = {result}."], result


# ------------------------------------------------------------------ problems and solutions


def problem(rng):
    """A random problem: (parts, ops) with parts [(a, op, b)] and ops between the parts."""
    n = rng.choice([2, 2, 3, 4])
    top = [rng.choice("+-*") if n == 2 else rng.choice("+-") for _ in range(n - 1)]
    part_ops = "+-" if "*" in top else "+-*"
    parts = [(rng.randint(0, 999), rng.choice(part_ops), rng.randint(0, 999)) for _ in range(n)]
    return parts, top


def expression(parts, ops):
    text = f"({parts[0][0]} {parts[0][1]} {parts[0][2]})"
    for op, (a, o, b) in zip(ops, parts[1:]):
        text += f" {op} ({a} {o} {b})"
    return text


def combine(values, ops):
    """Lines of the conclusion: the top-level operations, left to right (only + and - when
    there are three or more parts, so left to right is the right order)."""
    lines, acc = [], values[0]
    for op, v in zip(ops, values[1:]):
        step, acc = signed(op, acc, v)
        lines += step
    return lines, acc


def solve(parts, ops, parallel=True):
    """(question, response text, answer). The response follows spec section 2."""
    question = f"What is {expression(parts, ops)}?"
    values, paths = [], []
    for i, (a, o, b) in enumerate(parts):
        pid = str(i + 1)
        lines, v = signed(o, a, b, nested_id=pid if parallel else None)
        values.append(v)
        paths.append((pid, f"{a} {o} {b}", lines))
    conclusion, answer = combine(values, ops)
    conclusion.append(f"So {expression(parts, ops)} = {answer}.")
    if parallel:
        body = ["Let's think in parallel.", "<Parallel>", "<Goal>"]
        for pid, text, _ in paths:
            body += ["<Outline>", f"{pid}: {text}", "</Outline>"]
        body.append("</Goal>")
        for pid, text, lines in paths:
            body += ["<Path>", f"{pid}: {text}"] + lines + ["</Path>"]
        body += ["<Conclusion>"] + conclusion + ["</Conclusion>", "</Parallel>"]
    else:
        body = []
        for pid, text, lines in paths:
            body += [f"Part {pid}: {text}"] + lines
        body += ["Now combine the parts."] + conclusion
    response = "<Think>\n" + "\n".join(body) + "\n</Think>\n\nAnswer: " + str(answer)
    return question, response, answer


def check(parts, ops, answer):
    """The answer agrees with Python's own evaluation of the question."""
    assert eval(expression(parts, ops)) == answer, (expression(parts, ops), answer)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--count", type=int, default=3)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--sequential", action="store_true")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    for _ in range(args.count):
        parts, ops = problem(rng)
        q, r, ans = solve(parts, ops, parallel=not args.sequential)
        check(parts, ops, ans)
        print(q + "\n" + r + "\n" + "-" * 60)


if __name__ == "__main__":
    main()
