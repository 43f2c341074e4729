"""Python reference for the warm-up (mini-project 0).

Times the course's two ways of building the 110 composed first names
(nested loops and itertools.permutations) and the three ways of producing
the 1100 full names (an iterator class, a generator, a function returning a
list), and measures their memory with sys.getsizeof.

Each time is the median over 7 repeats of timeit's automatic loop count,
divided by that count: seconds per call. The last line of output is one
JSON object with every figure.
"""

import itertools
import json
import statistics
import sys
import timeit

FIRST_NAMES = ["Bob", "Alice", "Maria", "Albert", "Paul", "Alex", "Luc",
               "Robert", "Dylan", "Léa", "Richard"]
LAST_NAMES = ["Dupont", "Dupond", "Haddock", "Tournesol", "Castafiore",
              "Lampion", "Lopez", "Loiseau", "Müller", "Sanzot"]


def composed_loops(names):
    composed = []
    for first in names:
        for second in names:
            if first != second:
                composed.append(first + "-" + second)
    return composed


def composed_itertools(names):
    return ["-".join(pair) for pair in itertools.permutations(names, 2)]


class FullNames:
    """Iterator class: remembers only its position, builds one name per
    __next__ (position p is composed name p // 10 with last name p % 10)."""

    def __init__(self, first_names, last_names):
        self.first_names = first_names
        self.last_names = last_names
        self.position = 0
        n = len(first_names)
        self.total = n * (n - 1) * len(last_names)

    def __iter__(self):
        return self

    def __next__(self):
        if self.position >= self.total:
            raise StopIteration
        composed, last = divmod(self.position, len(self.last_names))
        first, other = divmod(composed, len(self.first_names) - 1)
        second = other + 1 if other >= first else other
        self.position += 1
        return (self.first_names[first] + "-" + self.first_names[second]
                + " " + self.last_names[last])


def full_names_generator(first_names, last_names):
    for first in first_names:
        for second in first_names:
            if first != second:
                for last in last_names:
                    yield first + "-" + second + " " + last


def full_names_list(first_names, last_names):
    names = []
    for composed in composed_loops(first_names):
        for last in last_names:
            names.append(composed + " " + last)
    return names


def consume(iterator):
    for _ in iterator:
        pass


def per_call(function):
    timer = timeit.Timer(function)
    number, _ = timer.autorange()
    times = timer.repeat(repeat=7, number=number)
    return statistics.median(times) / number


def list_bytes(strings):
    return sys.getsizeof(strings) + sum(sys.getsizeof(s) for s in strings)


def main():
    loops = composed_loops(FIRST_NAMES)
    assert loops == composed_itertools(FIRST_NAMES) and len(loops) == 110
    eager = full_names_list(FIRST_NAMES, LAST_NAMES)
    assert eager == list(FullNames(FIRST_NAMES, LAST_NAMES))
    assert eager == list(full_names_generator(FIRST_NAMES, LAST_NAMES))
    assert len(eager) == 1100

    result = {
        "composed_loops": per_call(lambda: composed_loops(FIRST_NAMES)),
        "composed_itertools": per_call(lambda: composed_itertools(FIRST_NAMES)),
        "full_class": per_call(lambda: consume(FullNames(FIRST_NAMES, LAST_NAMES))),
        "full_generator": per_call(
            lambda: consume(full_names_generator(FIRST_NAMES, LAST_NAMES))),
        "full_list": per_call(lambda: full_names_list(FIRST_NAMES, LAST_NAMES)),
        "composed_bytes": list_bytes(loops),
        "list_bytes": list_bytes(eager),
        "generator_bytes": sys.getsizeof(full_names_generator(FIRST_NAMES, LAST_NAMES)),
        "class_bytes": sys.getsizeof(FullNames(FIRST_NAMES, LAST_NAMES))
        + sys.getsizeof(FullNames(FIRST_NAMES, LAST_NAMES).__dict__),
        "python": sys.version.split()[0],
    }
    result["seconds"] = result["composed_loops"]
    for key, value in result.items():
        print(f"{key}: {value}")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
