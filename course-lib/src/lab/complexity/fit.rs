//! Fitting measured times to the usual complexity classes.

use std::fmt;

/// A complexity class that [`fit`] can recognise.
///
/// ```
/// use course_lib::lab::complexity::Class;
///
/// assert_eq!(Class::Quadratic.to_string(), "O(n²)");
/// assert_eq!(Class::Quadratic.growth(10.0), 100.0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// O(1): the same time for every n.
    Constant,
    /// O(log n).
    Logarithmic,
    /// O(n).
    Linear,
    /// O(n log n).
    Linearithmic,
    /// O(n²).
    Quadratic,
    /// O(n³).
    Cubic,
    /// O(2ⁿ).
    Exponential,
}

impl Class {
    /// Every class, from the slowest growth to the fastest.
    pub const ALL: [Class; 7] = [
        Class::Constant,
        Class::Logarithmic,
        Class::Linear,
        Class::Linearithmic,
        Class::Quadratic,
        Class::Cubic,
        Class::Exponential,
    ];

    /// g(n): how the time grows with n in this class.
    pub fn growth(self, n: f64) -> f64 {
        match self {
            Class::Constant => 1.0,
            Class::Logarithmic => n.max(2.0).log2(),
            Class::Linear => n,
            Class::Linearithmic => n * n.max(2.0).log2(),
            Class::Quadratic => n * n,
            Class::Cubic => n * n * n,
            Class::Exponential => n.exp2(),
        }
    }

    /// The function of n, for labels: `n²`, `n log n`...
    pub fn formula(self) -> &'static str {
        match self {
            Class::Constant => "1",
            Class::Logarithmic => "log n",
            Class::Linear => "n",
            Class::Linearithmic => "n log n",
            Class::Quadratic => "n²",
            Class::Cubic => "n³",
            Class::Exponential => "2ⁿ",
        }
    }
}

impl fmt::Display for Class {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "O({})", self.formula())
    }
}

/// The best class for some measurements, and how well each class fits.
#[derive(Debug, Clone, PartialEq)]
pub struct Fit {
    /// The class that fits best.
    pub class: Class,
    /// Seconds per unit of growth: time ≈ `constant` × g(n).
    pub constant: f64,
    /// The slope of log(time) against log(n): about 1 for O(n), 2 for O(n²).
    pub slope: f64,
    /// Every class that could be fitted with its constant and its error
    /// (root mean square of the relative errors), best first.
    pub candidates: Vec<(Class, f64, f64)>,
}

/// Fits `(n, seconds)` measurements to every [`Class`] by least squares on
/// relative errors (each point counts the same, whatever its size), and
/// keeps the class with the smallest error. A faster-growing class must do
/// clearly better (30 % less error) to win, so noise on a busy machine does
/// not turn O(n) into O(n log n).
///
/// ```
/// use course_lib::lab::complexity::{fit, Class};
///
/// let quadratic: Vec<(usize, f64)> = (1..=8).map(|k| (k * 1000, 3e-9 * (k * 1000) as f64 * (k * 1000) as f64)).collect();
/// let found = fit(&quadratic).unwrap();
/// assert_eq!(found.class, Class::Quadratic);
/// assert!((found.slope - 2.0).abs() < 0.01);
/// assert!((found.constant - 3e-9).abs() < 1e-12);
/// ```
pub fn fit(points: &[(usize, f64)]) -> Option<Fit> {
    let points: Vec<(f64, f64)> = points
        .iter()
        .map(|&(n, t)| (n as f64, t))
        .filter(|&(_, t)| t > 0.0 && t.is_finite())
        .collect();
    if points.len() < 2 {
        return None;
    }
    let mut candidates: Vec<(Class, f64, f64)> = Class::ALL
        .iter()
        .filter_map(|&class| {
            let g: Vec<f64> = points.iter().map(|&(n, _)| class.growth(n)).collect();
            if g.iter().any(|v| !v.is_finite() || *v <= 0.0) {
                return None;
            }
            // Minimise Σ ((c·g − t) / t)²: c = Σ(g/t) / Σ(g/t)².
            let ratios: Vec<f64> = g.iter().zip(&points).map(|(g, (_, t))| g / t).collect();
            let constant = ratios.iter().sum::<f64>() / ratios.iter().map(|r| r * r).sum::<f64>();
            let error = (ratios
                .iter()
                .map(|r| (constant * r - 1.0).powi(2))
                .sum::<f64>()
                / ratios.len() as f64)
                .sqrt();
            Some((class, constant, error))
        })
        .collect();
    let mut best = *candidates.first()?;
    for &candidate in &candidates[1..] {
        if candidate.2 < best.2 * 0.7 {
            best = candidate;
        }
    }
    candidates.sort_by(|a, b| a.2.total_cmp(&b.2));
    Some(Fit {
        class: best.0,
        constant: best.1,
        slope: log_log_slope(&points),
        candidates,
    })
}

/// Least-squares slope of ln(t) against ln(n).
fn log_log_slope(points: &[(f64, f64)]) -> f64 {
    let logs: Vec<(f64, f64)> = points.iter().map(|&(n, t)| (n.ln(), t.ln())).collect();
    let count = logs.len() as f64;
    let mean_x = logs.iter().map(|p| p.0).sum::<f64>() / count;
    let mean_y = logs.iter().map(|p| p.1).sum::<f64>() / count;
    let covariance: f64 = logs.iter().map(|p| (p.0 - mean_x) * (p.1 - mean_y)).sum();
    let variance: f64 = logs.iter().map(|p| (p.0 - mean_x).powi(2)).sum();
    if variance > 0.0 {
        covariance / variance
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn points(growth: impl Fn(f64) -> f64, noise: &[f64]) -> Vec<(usize, f64)> {
        [2000usize, 4000, 8000, 16000, 32000]
            .iter()
            .zip(noise)
            .map(|(&n, k)| (n, growth(n as f64) * k))
            .collect()
    }

    #[test]
    fn noisy_linear_stays_linear() {
        // Measured on a busy 2-core machine: a linear loop whose first size ran slow.
        let measured = [
            (2000, 1.93e-6),
            (4000, 3.06e-6),
            (8000, 7.34e-6),
            (16000, 17.2e-6),
            (32000, 35.6e-6),
        ];
        assert_eq!(fit(&measured).unwrap().class, Class::Linear);
    }

    #[test]
    fn each_class_is_recognised() {
        let noise = [1.05, 0.97, 1.02, 0.99, 1.03];
        for class in [
            Class::Constant,
            Class::Linear,
            Class::Linearithmic,
            Class::Quadratic,
            Class::Cubic,
        ] {
            let found = fit(&points(|n| 1e-9 * class.growth(n), &noise)).unwrap();
            assert_eq!(found.class, class);
        }
    }
}
