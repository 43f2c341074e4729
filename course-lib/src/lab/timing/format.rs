//! Durations and counts written the way IPython writes them.

/// Writes a duration in seconds as IPython's `%timeit` does: the largest unit
/// among s, ms, μs and ns that keeps the number at or above 1, with
/// `precision` significant digits (`%.*g`), and hours and minutes from 60 s.
///
/// ```
/// use course_lib::lab::timing::format_time;
///
/// assert_eq!(format_time(16.7e-9, 3), "16.7 ns");
/// assert_eq!(format_time(0.00123456, 3), "1.23 ms");
/// assert_eq!(format_time(2.5e-6, 3), "2.5 μs");
/// assert_eq!(format_time(1.0, 3), "1 s");
/// assert_eq!(format_time(0.0, 3), "0 ns");
/// assert_eq!(format_time(3725.0, 3), "1h 2min 5s");
/// ```
pub fn format_time(seconds: f64, precision: usize) -> String {
    if seconds >= 60.0 {
        let mut rest = seconds;
        let mut parts = Vec::new();
        for (suffix, length) in [("d", 86400.0), ("h", 3600.0), ("min", 60.0), ("s", 1.0)] {
            let value = (rest / length).floor();
            if value > 0.0 {
                rest %= length;
                parts.push(format!("{value}{suffix}"));
            }
            if rest < 1.0 {
                break;
            }
        }
        return parts.join(" ");
    }
    const UNITS: [&str; 4] = ["s", "ms", "μs", "ns"];
    const SCALES: [f64; 4] = [1.0, 1e3, 1e6, 1e9];
    let order = if seconds > 0.0 {
        // Python: min(-int(math.floor(math.log10(t)) // 3), 3)
        let exponent = seconds.log10().floor() as i64;
        (-(exponent.div_euclid(3))).clamp(0, 3) as usize
    } else {
        3
    };
    format!(
        "{} {}",
        format_g(seconds * SCALES[order], precision),
        UNITS[order]
    )
}

/// C's `%.*g`: `precision` significant digits, trailing zeros dropped,
/// scientific notation for very large or small numbers.
///
/// ```
/// use course_lib::lab::timing::format_g;
///
/// assert_eq!(format_g(16.666, 3), "16.7");
/// assert_eq!(format_g(100.0, 3), "100");
/// assert_eq!(format_g(1234.5, 3), "1.23e+03");
/// assert_eq!(format_g(0.5, 3), "0.5");
/// ```
pub fn format_g(value: f64, precision: usize) -> String {
    let precision = precision.max(1);
    if value == 0.0 || !value.is_finite() {
        return format!("{value}");
    }
    let scientific = format!("{:.*e}", precision - 1, value);
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    if exponent < -4 || exponent >= precision as i32 {
        let sign = if exponent < 0 { '-' } else { '+' };
        format!(
            "{}e{sign}{:02}",
            trim_zeros(mantissa),
            exponent.unsigned_abs()
        )
    } else {
        let decimals = (precision as i32 - 1 - exponent).max(0) as usize;
        trim_zeros(&format!("{value:.decimals$}")).to_string()
    }
}

/// Removes trailing zeros (and a trailing point) after a decimal point.
pub(crate) fn trim_zeros(number: &str) -> &str {
    if number.contains('.') {
        number.trim_end_matches('0').trim_end_matches('.')
    } else {
        number
    }
}

/// Writes a count with commas between thousands, as Python's `{:,}`.
///
/// ```
/// assert_eq!(course_lib::lab::timing::thousands(10_000_000), "10,000,000");
/// assert_eq!(course_lib::lab::timing::thousands(7), "7");
/// ```
pub fn thousands(count: u64) -> String {
    let digits = count.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// `""` for one, `"s"` for any other count: `run{s}`, `loop{s}`.
pub(crate) fn plural(count: u64) -> &'static str {
    if count == 1 { "" } else { "s" }
}
