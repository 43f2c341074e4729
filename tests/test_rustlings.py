"""Small exercises in the style of rustlings, worked the way a student works
them in a notebook.

A rustlings exercise is one file: the items (helper functions, types,
`fn main`) and a `#[cfg(test)] mod tests` whose `#[test]` functions
`cargo test` runs. A cell is not a test build, so the kernel compiles neither
the `#[cfg(test)]` module nor any `#[test]` function. What a student does
instead:

1. paste the exercise with `#[cfg(test)]` removed and each `#[test]` replaced
   by `pub` (so the module is compiled and its functions can be called);
2. run `main();` in a cell of its own;
3. run each test in a cell of its own, `tests::NAME();`, or
   `tests::NAME().unwrap();` for a test that returns a `Result`, so that an
   `Err` is a panic and the cell fails (as `cargo test` would).

A failing assertion is then the cell's error, with the assertion's message,
and the session goes on.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass

import pytest

from conftest import ExecResult, Kernel


@dataclass(frozen=True)
class Exercise:
    """One exercise file: its source as the exercise file has it, and what `main` prints."""

    name: str
    source: str
    main_prints: str

    @property
    def tests(self) -> list[str]:
        """The names of the `#[test]` functions, in source order."""
        return re.findall(r"#\[test\]\s*fn (\w+)", self.source)

    def notebook_form(self) -> str:
        """The source as a student pastes it in a cell: the test module compiled, its tests public."""
        without_cfg = re.sub(r"^[ \t]*#\[cfg\(test\)\][ \t]*\n", "", self.source, flags=re.M)
        return re.sub(r"#\[test\]\s*\n([ \t]*)fn ", r"\1pub fn ", without_cfg)

    def test_call(self, test: str) -> str:
        """The cell that runs one test: a `Result` returned by the test is unwrapped."""
        returns_result = re.search(rf"fn {test}\(\)\s*->\s*Result", self.source)
        return f"tests::{test}().unwrap();" if returns_result else f"tests::{test}();"


def exercise(name: str, source: str, main_prints: str) -> Exercise:
    """An exercise from indented triple-quoted text."""
    return Exercise(name, textwrap.dedent(source).strip() + "\n", textwrap.dedent(main_prints).lstrip("\n"))


OWNERSHIP = exercise(
    "ownership",
    """
    fn adopt(mut crew: Vec<String>, newcomer: &str) -> Vec<String> {
        crew.push(newcomer.to_string());
        crew
    }

    fn letters(crew: &[String]) -> usize {
        crew.iter().map(|name| name.len()).sum()
    }

    fn main() {
        let crew = vec![String::from("Ada"), String::from("Linus")];
        let crew = adopt(crew, "Grace");
        println!("{} names, {} letters", crew.len(), letters(&crew));
        let first = crew[0].clone();
        drop(crew);
        println!("still have {first}");
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn the_vector_comes_back() {
            let crew = adopt(Vec::new(), "Ken");
            let crew = adopt(crew, "Dennis");
            assert_eq!(crew, ["Ken", "Dennis"]);
        }

        #[test]
        fn borrowing_does_not_move() {
            let crew = vec![String::from("Barbara")];
            assert_eq!(letters(&crew), 7);
            assert_eq!(letters(&crew), 7);
            assert_eq!(crew.len(), 1);
        }
    }
    """,
    """
    3 names, 13 letters
    still have Ada
    """,
)

STRUCTS = exercise(
    "structs",
    """
    #[derive(Debug, PartialEq)]
    struct Thermostat {
        target: i32,
        current: i32,
    }

    impl Thermostat {
        const LOWEST: i32 = 5;
        const HIGHEST: i32 = 30;

        fn new(current: i32) -> Self {
            Thermostat { target: 19, current }
        }

        fn heating(&self) -> bool {
            self.current < self.target
        }

        fn adjust(&mut self, delta: i32) {
            self.target = (self.target + delta).clamp(Self::LOWEST, Self::HIGHEST);
        }
    }

    fn main() {
        let mut living_room = Thermostat::new(21);
        println!("heating: {}", living_room.heating());
        living_room.adjust(4);
        println!("heating: {} (target {})", living_room.heating(), living_room.target);
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn a_warm_room_is_not_heated() {
            assert!(!Thermostat::new(25).heating());
            assert!(Thermostat::new(12).heating());
        }

        #[test]
        fn the_target_stays_in_range() {
            let mut t = Thermostat::new(20);
            t.adjust(100);
            assert_eq!(t, Thermostat { target: 30, current: 20 });
            t.adjust(-100);
            assert_eq!(t.target, 5);
        }
    }
    """,
    """
    heating: false
    heating: true (target 23)
    """,
)

ENUMS = exercise(
    "enums",
    """
    #[derive(Debug, Clone, Copy, PartialEq)]
    enum Heading {
        North,
        East,
        South,
        West,
    }

    enum Order {
        Forward(i32),
        Turn { clockwise: bool },
        Halt,
    }

    impl Heading {
        fn turned(self, clockwise: bool) -> Heading {
            use Heading::*;
            match (self, clockwise) {
                (North, true) | (South, false) => East,
                (East, true) | (West, false) => South,
                (South, true) | (North, false) => West,
                (West, true) | (East, false) => North,
            }
        }
    }

    fn drive(orders: &[Order]) -> ((i32, i32), Heading) {
        let (mut position, mut heading) = ((0, 0), Heading::North);
        for order in orders {
            match order {
                Order::Forward(steps) => match heading {
                    Heading::North => position.1 += steps,
                    Heading::South => position.1 -= steps,
                    Heading::East => position.0 += steps,
                    Heading::West => position.0 -= steps,
                },
                Order::Turn { clockwise } => heading = heading.turned(*clockwise),
                Order::Halt => break,
            }
        }
        (position, heading)
    }

    fn main() {
        let route = [Order::Forward(3), Order::Turn { clockwise: true }, Order::Forward(2)];
        println!("{:?}", drive(&route));
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn four_turns_make_a_circle() {
            let mut heading = Heading::West;
            for _ in 0..4 {
                heading = heading.turned(false);
            }
            assert_eq!(heading, Heading::West);
            assert_eq!(Heading::West.turned(false), Heading::South);
        }

        #[test]
        fn halt_ignores_the_rest() {
            let route = [Order::Turn { clockwise: false }, Order::Forward(4), Order::Halt, Order::Forward(9)];
            assert_eq!(drive(&route), ((-4, 0), Heading::West));
        }
    }
    """,
    """
    ((2, 3), East)
    """,
)

ERRORS = exercise(
    "errors",
    """
    use std::num::ParseIntError;

    #[derive(Debug, PartialEq)]
    enum RecordError {
        NoColon,
        BadAge(ParseIntError),
    }

    impl From<ParseIntError> for RecordError {
        fn from(error: ParseIntError) -> Self {
            RecordError::BadAge(error)
        }
    }

    fn age_of(record: &str) -> Result<u8, RecordError> {
        let (_, age) = record.split_once(':').ok_or(RecordError::NoColon)?;
        Ok(age.trim().parse()?)
    }

    fn oldest<'a>(records: &[&'a str]) -> Option<&'a str> {
        let mut best: Option<(u8, &str)> = None;
        for record in records {
            let age = age_of(record).ok()?;
            if best.map_or(true, |(oldest_age, _)| age > oldest_age) {
                best = Some((age, record.split(':').next()?));
            }
        }
        best.map(|(_, name)| name)
    }

    fn main() {
        println!("{:?}", age_of("Ada: 36"));
        println!("{:?}", age_of("Ada 36"));
        println!("{:?}", oldest(&["Ada: 36", "Alan: 41", "Grace: 38"]));
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn question_mark_converts_the_error() {
            assert!(matches!(age_of("Bob: old"), Err(RecordError::BadAge(_))));
            assert_eq!(age_of("Bob: 300").unwrap_err(), RecordError::BadAge("300".parse::<u8>().unwrap_err()));
            assert_eq!(oldest(&["Ann: 9", "Bob"]), None);
        }

        #[test]
        fn a_test_may_use_the_question_mark() -> Result<(), RecordError> {
            assert_eq!(age_of("Eve:7")?, 7);
            assert_eq!(oldest(&[]), None);
            Ok(())
        }
    }
    """,
    """
    Ok(36)
    Err(NoColon)
    Some("Alan")
    """,
)

TRAITS = exercise(
    "traits",
    """
    trait Describe {
        fn name(&self) -> String;

        fn describe(&self) -> String {
            format!("a thing called {}", self.name())
        }
    }

    struct Cat {
        lives: u8,
    }

    struct Robot(u32);

    impl Describe for Cat {
        fn name(&self) -> String {
            String::from("cat")
        }
    }

    impl Describe for Robot {
        fn name(&self) -> String {
            format!("robot #{}", self.0)
        }

        fn describe(&self) -> String {
            format!("{}, beep", self.name())
        }
    }

    fn introduce(things: &[&dyn Describe]) -> Vec<String> {
        things.iter().map(|thing| thing.describe()).collect()
    }

    struct Pair<T> {
        left: T,
        right: T,
    }

    impl<T: PartialOrd + Copy> Pair<T> {
        fn larger(&self) -> T {
            if self.left >= self.right { self.left } else { self.right }
        }
    }

    fn main() {
        let tom = Cat { lives: 9 };
        for line in introduce(&[&tom, &Robot(7)]) {
            println!("{line}");
        }
        println!("{} lives, larger is {}", tom.lives, Pair { left: 2.5, right: -1.0 }.larger());
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn default_and_overridden_methods() {
            assert_eq!(Cat { lives: 1 }.describe(), "a thing called cat");
            assert_eq!(Robot(42).describe(), "robot #42, beep");
        }

        #[test]
        fn generic_over_any_ordered_type() {
            assert_eq!(Pair { left: 'a', right: 'z' }.larger(), 'z');
            assert_eq!(Pair { left: 10u64, right: 3 }.larger(), 10);
        }
    }
    """,
    """
    a thing called cat
    robot #7, beep
    9 lives, larger is 2.5
    """,
)

ITERATORS = exercise(
    "iterators",
    """
    fn capitalized(word: &str) -> String {
        let mut chars = word.chars();
        match chars.next() {
            Some(first) => first.to_uppercase().chain(chars).collect(),
            None => String::new(),
        }
    }

    fn title_case(text: &str) -> String {
        text.split_whitespace().map(capitalized).collect::<Vec<_>>().join(" ")
    }

    fn even_squares(numbers: &[i64]) -> i64 {
        numbers.iter().filter(|n| *n % 2 == 0).map(|n| n * n).sum()
    }

    fn counter(step: u32) -> impl FnMut() -> u32 {
        let mut total = 0;
        move || {
            total += step;
            total
        }
    }

    fn main() {
        println!("{}", title_case("the rust  programming language"));
        let mut tick = counter(5);
        tick();
        println!("{} {}", tick(), even_squares(&[1, 2, 3, 4]));
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn capitals_and_empty_words() {
            assert_eq!(capitalized(""), "");
            assert_eq!(capitalized("élan"), "Élan");
            assert_eq!(title_case(" a  b "), "A B");
        }

        #[test]
        fn closures_keep_their_state() {
            let mut by_three = counter(3);
            let seen: Vec<u32> = (0..3).map(|_| by_three()).collect();
            assert_eq!(seen, [3, 6, 9]);
            assert_eq!(even_squares(&[-2, 5, 10]), 104);
        }
    }
    """,
    """
    The Rust Programming Language
    10 20
    """,
)

LIFETIMES = exercise(
    "lifetimes",
    """
    fn longest_word<'a>(text: &'a str) -> &'a str {
        let mut longest = "";
        for word in text.split_whitespace() {
            if word.len() > longest.len() {
                longest = word;
            }
        }
        longest
    }

    struct Excerpt<'a> {
        text: &'a str,
        start: usize,
    }

    impl<'a> Excerpt<'a> {
        fn rest(&self) -> &'a str {
            &self.text[self.start..]
        }
    }

    fn main() {
        let book = String::from("call me Ishmael some years ago");
        let excerpt = Excerpt { text: &book, start: 8 };
        let word;
        {
            let rest = excerpt.rest();
            word = longest_word(rest);
        }
        println!("{word} / {}", excerpt.rest().len());
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn the_answer_borrows_from_the_text() {
            let text = String::from("a bb ccc dd");
            let longest = longest_word(&text);
            assert_eq!(longest, "ccc");
            assert!(text.as_ptr() <= longest.as_ptr());
        }

        #[test]
        fn an_excerpt_outlives_its_struct() {
            let text = "first words";
            let rest = {
                let excerpt = Excerpt { text, start: 6 };
                excerpt.rest()
            };
            assert_eq!(rest, "words");
        }
    }
    """,
    """
    Ishmael / 22
    """,
)

# A student's wrong answer: `insert` overwrites a count instead of adding to it.
HASHMAP_WRONG = exercise(
    "hashmap",
    """
    use std::collections::HashMap;

    fn tally(votes: &[&str]) -> HashMap<String, u32> {
        let mut counts = HashMap::new();
        for vote in votes {
            counts.insert(vote.to_string(), 1);
        }
        counts
    }

    fn winner(counts: &HashMap<String, u32>) -> Option<&str> {
        counts.iter().max_by_key(|(name, count)| (**count, std::cmp::Reverse(*name))).map(|(name, _)| name.as_str())
    }

    fn main() {
        let counts = tally(&["oak", "elm", "oak"]);
        println!("{} candidates", counts.len());
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn every_candidate_is_counted() {
            let counts = tally(&["oak", "elm", "oak", "ash"]);
            let mut names: Vec<&String> = counts.keys().collect();
            names.sort();
            assert_eq!(names, ["ash", "elm", "oak"]);
        }

        #[test]
        fn every_vote_is_counted() {
            let counts = tally(&["oak", "elm", "oak", "oak"]);
            assert_eq!(counts["oak"], 3, "votes for oak");
            assert_eq!(winner(&counts), Some("oak"));
        }
    }
    """,
    """
    2 candidates
    """,
)
HASHMAP_FAILING_TEST = "every_vote_is_counted"
HASHMAP_FIX = """
fn tally(votes: &[&str]) -> HashMap<String, u32> {
    let mut counts = HashMap::new();
    for vote in votes {
        *counts.entry(vote.to_string()).or_insert(0) += 1;
    }
    counts
}
"""

PASSING = [OWNERSHIP, STRUCTS, ENUMS, ERRORS, TRAITS, ITERATORS, LIFETIMES]


def run_main(kernel: Kernel, ex: Exercise) -> ExecResult:
    """Paste the exercise in its notebook form, then run `main();` in a cell of its own."""
    kernel.execute_ok(ex.notebook_form())
    return kernel.execute_ok("main();")


def test_a_pasted_test_module_is_not_compiled(kernel: Kernel) -> None:
    """As pasted, the exercise runs but its `#[cfg(test)]` module does not exist in a cell."""
    kernel.execute_ok(OWNERSHIP.source)
    res = kernel.execute_ok("main();")
    assert res.stdout == OWNERSHIP.main_prints, res.describe()
    res = kernel.execute(OWNERSHIP.test_call(OWNERSHIP.tests[0]))
    assert res.status == "error", res.describe()
    [error] = res.errors
    assert "`tests`" in error["evalue"], res.describe()


@pytest.mark.parametrize("ex", PASSING, ids=[ex.name for ex in PASSING])
def test_an_exercise_runs_and_its_tests_pass(kernel: Kernel, ex: Exercise) -> None:
    """`main();` prints what it should, and each test, called in a cell of its own, passes silently."""
    assert len(ex.tests) >= 2, ex.source
    res = run_main(kernel, ex)
    assert res.stdout == ex.main_prints, res.describe()
    for test in ex.tests:
        res = kernel.execute(ex.test_call(test))
        assert res.status == "ok" and not res.errors, f"{test}:\n{res.describe()}"
        assert res.stdout == res.stderr == "", f"{test}:\n{res.describe()}"


def test_a_failing_test_is_the_cells_error_and_the_session_goes_on(kernel: Kernel) -> None:
    """A wrong answer fails its test with the assertion's message; the session keeps its state."""
    ex = HASHMAP_WRONG
    res = run_main(kernel, ex)
    assert res.stdout == ex.main_prints, res.describe()
    kernel.execute_ok('let ballot = vec!["ash", "ash"];')

    outcomes: dict[str, ExecResult] = {test: kernel.execute(ex.test_call(test)) for test in ex.tests}
    failing = [test for test, res in outcomes.items() if res.status != "ok"]
    assert failing == [HASHMAP_FAILING_TEST], {t: r.describe() for t, r in outcomes.items()}

    res = outcomes[HASHMAP_FAILING_TEST]
    assert len(res.errors) == 1, res.describe()
    error = res.reply["content"]
    assert error["ename"] == "panic", res.describe()
    # The assertion's own message, with both sides, as `cargo test` prints it.
    assert error["evalue"] == "assertion `left == right` failed: votes for oak\n  left: 1\n right: 3", res.describe()
    assert "votes for oak" in res.error_text()

    # The session goes on: earlier variables and functions are kept.
    res = kernel.execute_ok("tally(&ballot)[\"ash\"]")
    assert res.result == "1", res.describe()

    # The test calls the code as it is now: once the answer is fixed, it passes.
    kernel.execute_ok(HASHMAP_FIX)
    res = kernel.execute(ex.test_call(HASHMAP_FAILING_TEST))
    assert res.status == "ok", res.describe()
    res = kernel.execute_ok("winner(&tally(&ballot))")
    assert res.result == 'Some("ash")', res.describe()
