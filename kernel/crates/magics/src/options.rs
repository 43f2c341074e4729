//! IPython-style option parsing for magic lines: `-n 100 -r 3 -q rest...`.

use super::MagicError;
use super::registry::MagicOption;

/// Options found before the statement, and the statement itself.
#[derive(Debug, Default, PartialEq)]
pub struct Parsed {
    /// Letters and values in the order given (`None` for switches).
    pub options: Vec<(char, Option<String>)>,
    /// What follows the options, trimmed.
    pub rest: String,
}

impl Parsed {
    /// The last value given for `letter`, if any.
    pub fn value(&self, letter: char) -> Option<&str> {
        self.options
            .iter()
            .rev()
            .find(|(l, _)| *l == letter)
            .and_then(|(_, v)| v.as_deref())
    }

    /// Whether the switch `letter` was given.
    pub fn has(&self, letter: char) -> bool {
        self.options.iter().any(|(l, _)| *l == letter)
    }

    /// The value of `letter` as a positive whole number.
    pub fn number(&self, magic: &str, letter: char) -> Result<Option<u64>, MagicError> {
        self.value(letter)
            .map(|text| {
                text.replace('_', "")
                    .parse::<u64>()
                    .ok()
                    .filter(|n| *n > 0)
                    .ok_or_else(|| {
                        MagicError::usage(
                            magic,
                            format!("-{letter} needs a positive whole number, not `{text}`"),
                        )
                    })
            })
            .transpose()
    }
}

/// Splits `-a -b VALUE -cVALUE rest` as getopt does: options end at the
/// first word that is not one (or after `--`).
pub fn parse(magic: &str, text: &str, flags: &[MagicOption]) -> Result<Parsed, MagicError> {
    let mut parsed = Parsed::default();
    let mut rest = text.trim_start();
    loop {
        if let Some(after) = rest.strip_prefix("--")
            && (after.is_empty() || after.starts_with(char::is_whitespace))
        {
            rest = after.trim_start();
            break;
        }
        let Some(after_dash) = rest.strip_prefix('-') else {
            break;
        };
        let Some(letter) = after_dash.chars().next().filter(char::is_ascii_alphabetic) else {
            break;
        };
        let flag = flags
            .iter()
            .find(|f| f.letter == letter)
            .ok_or_else(|| MagicError::usage(magic, format!("option -{letter} not recognized")))?;
        let after_letter = &after_dash[letter.len_utf8()..];
        if flag.value.is_some() {
            let attached = after_letter.split_whitespace().next().unwrap_or("");
            let (value, remaining) = if !attached.is_empty() && !after_letter.starts_with(' ') {
                (attached, &after_letter[attached.len()..])
            } else {
                let trimmed = after_letter.trim_start();
                let word = trimmed.split_whitespace().next().ok_or_else(|| {
                    MagicError::usage(magic, format!("option -{letter} requires argument"))
                })?;
                (word, &trimmed[word.len()..])
            };
            parsed.options.push((letter, Some(value.to_string())));
            rest = remaining.trim_start();
        } else {
            if !(after_letter.is_empty() || after_letter.starts_with(char::is_whitespace)) {
                // Grouped switches such as `-qo`.
                let group: String = after_letter
                    .split_whitespace()
                    .next()
                    .unwrap_or("")
                    .to_string();
                parsed.options.push((letter, None));
                for other in group.chars() {
                    if !flags.iter().any(|f| f.letter == other && f.value.is_none()) {
                        return Err(MagicError::usage(
                            magic,
                            format!("option -{other} not recognized"),
                        ));
                    }
                    parsed.options.push((other, None));
                }
                rest = after_letter[group.len()..].trim_start();
                continue;
            }
            parsed.options.push((letter, None));
            rest = after_letter.trim_start();
        }
    }
    parsed.rest = rest.trim().to_string();
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    const FLAGS: &[MagicOption] = &[
        MagicOption::value('n', "N", "loops"),
        MagicOption::switch('q', "quiet"),
        MagicOption::switch('o', "output"),
    ];

    #[test]
    fn options_then_statement() {
        let parsed = parse("timeit", "-n 100 -q v.iter().sum::<u64>()", FLAGS).unwrap();
        assert_eq!(parsed.value('n'), Some("100"));
        assert!(parsed.has('q'));
        assert_eq!(parsed.rest, "v.iter().sum::<u64>()");
    }

    #[test]
    fn attached_values_and_grouped_switches() {
        let parsed = parse("timeit", "-n10 -qo x + 1", FLAGS).unwrap();
        assert_eq!(parsed.value('n'), Some("10"));
        assert!(parsed.has('q') && parsed.has('o'));
        assert_eq!(parsed.rest, "x + 1");
    }

    #[test]
    fn negative_literal_is_the_statement() {
        let parsed = parse("timeit", "-1 + x", FLAGS).unwrap();
        assert_eq!(parsed.rest, "-1 + x");
    }

    #[test]
    fn unknown_option_and_missing_value_are_usage_errors() {
        let error = parse("timeit", "-z x", FLAGS).unwrap_err();
        assert!(error.message.contains("option -z not recognized"));
        let error = parse("timeit", "-n", FLAGS).unwrap_err();
        assert!(error.message.contains("requires argument"));
        let parsed = parse("timeit", "-n abc x", FLAGS).unwrap();
        assert!(parsed.number("timeit", 'n').is_err());
    }
}
