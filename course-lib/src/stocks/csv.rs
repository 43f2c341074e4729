//! Reading and writing price series as CSV in long format (`date,ticker,close`).

use std::cmp::Ordering;
use std::collections::HashMap;
use std::fmt;
use std::fs::File;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use super::{Market, PriceSeries};

/// The columns a price file must have.
const COLUMNS: [&str; 3] = ["date", "ticker", "close"];

/// Why a price file could not be read.
///
/// Every problem in the data names the line of the file where it is.
///
/// ```
/// use course_lib::stocks::{LoadError, Market};
///
/// let text = "date,ticker,close\n2024-01-02,ACME,10.5\n2024-01-03,ACME,ten\n";
/// let error = Market::read_csv(text.as_bytes()).unwrap_err();
/// assert_eq!(error.to_string(), "line 3: the close price \"ten\" is not a number");
/// assert_eq!(error.line(), Some(3));
/// ```
#[derive(Debug)]
pub enum LoadError {
    /// The file could not be opened or read.
    Io {
        /// The file, when reading from a path.
        path: Option<PathBuf>,
        /// What the operating system said.
        error: io::Error,
    },
    /// The text is not valid CSV there (for example invalid UTF-8).
    Malformed {
        /// The line of the problem.
        line: u64,
        /// What is wrong.
        message: String,
    },
    /// The header has no column of this name.
    MissingColumn {
        /// `"date"`, `"ticker"` or `"close"`.
        column: &'static str,
        /// The header as found.
        header: Vec<String>,
    },
    /// A row has no value (or an empty one) in a required column.
    MissingValue {
        /// The line of the row.
        line: u64,
        /// The column whose value is missing.
        column: &'static str,
    },
    /// A close price is not a finite number.
    BadNumber {
        /// The line of the row.
        line: u64,
        /// The text found instead of a number.
        text: String,
    },
    /// A close price is zero or negative.
    NotPositive {
        /// The line of the row.
        line: u64,
        /// The price found.
        price: f64,
    },
    /// A ticker's date is not after its previous date.
    OutOfOrder {
        /// The line of the row.
        line: u64,
        /// The ticker of the row.
        ticker: String,
        /// The row's date.
        date: String,
        /// The ticker's previous date in the file.
        previous: String,
    },
    /// The file has a header but no price rows.
    NoRows,
}

impl LoadError {
    /// The line of the file where the problem is, when there is one.
    ///
    /// ```
    /// use course_lib::stocks::Market;
    ///
    /// let error = Market::read_csv("day,ticker,close\n".as_bytes()).unwrap_err();
    /// assert_eq!(error.line(), None); // the whole header is wrong
    /// ```
    pub fn line(&self) -> Option<u64> {
        match self {
            LoadError::Malformed { line, .. }
            | LoadError::MissingValue { line, .. }
            | LoadError::BadNumber { line, .. }
            | LoadError::NotPositive { line, .. }
            | LoadError::OutOfOrder { line, .. } => Some(*line),
            LoadError::Io { .. } | LoadError::MissingColumn { .. } | LoadError::NoRows => None,
        }
    }
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::Io {
                path: Some(path),
                error,
            } => write!(f, "cannot read {}: {error}", path.display()),
            LoadError::Io { path: None, error } => write!(f, "cannot read the prices: {error}"),
            LoadError::Malformed { line, message } => write!(f, "line {line}: {message}"),
            LoadError::MissingColumn { column, header } => write!(
                f,
                "the header has no \"{column}\" column (it needs date, ticker and close; found: {})",
                header.join(", ")
            ),
            LoadError::MissingValue { line, column } => {
                write!(f, "line {line}: the {column} value is missing")
            }
            LoadError::BadNumber { line, text } => {
                write!(f, "line {line}: the close price {text:?} is not a number")
            }
            LoadError::NotPositive { line, price } => {
                write!(f, "line {line}: the close price {price} is not positive")
            }
            LoadError::OutOfOrder {
                line,
                ticker,
                date,
                previous,
            } => write!(
                f,
                "line {line}: {ticker} on {date} does not come after {previous} \
                 (each ticker's rows must be in date order)"
            ),
            LoadError::NoRows => write!(f, "there are no price rows after the header"),
        }
    }
}

impl std::error::Error for LoadError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            LoadError::Io { error, .. } => Some(error),
            _ => None,
        }
    }
}

impl From<::csv::Error> for LoadError {
    fn from(error: ::csv::Error) -> Self {
        let line = error.position().map_or(0, ::csv::Position::line);
        let message = match error.kind() {
            ::csv::ErrorKind::Utf8 { err, .. } => {
                format!("field {} is not valid UTF-8 text", err.field() + 1)
            }
            _ => error.to_string().replace("CSV parse error: ", ""),
        };
        match error.into_kind() {
            ::csv::ErrorKind::Io(error) => LoadError::Io { path: None, error },
            _ => LoadError::Malformed { line, message },
        }
    }
}

/// Orders two dates of one ticker: as numbers when both are whole numbers
/// (numbered days), otherwise as text (right for `YYYY-MM-DD`).
fn compare_dates(a: &str, b: &str) -> Ordering {
    match (a.parse::<u64>(), b.parse::<u64>()) {
        (Ok(a), Ok(b)) => a.cmp(&b),
        _ => a.cmp(b),
    }
}

impl Market {
    /// Reads prices in long CSV format from any reader (a file, a string's
    /// bytes, standard input).
    ///
    /// The format is one row per ticker and day, with a header naming the
    /// columns `date`, `ticker` and `close` (any order, any letter case;
    /// other columns such as `open` or `volume` are ignored):
    ///
    /// ```text
    /// date,ticker,close
    /// 2024-01-02,ACME,101.25
    /// 2024-01-02,BOLT,48.10
    /// 2024-01-03,ACME,102.00
    /// ```
    ///
    /// Tickers appear in the order of their first row. Each ticker's rows
    /// must be in increasing date order (dates written `YYYY-MM-DD`, or whole
    /// day numbers), and every close price must be a number above zero.
    ///
    /// ```
    /// use course_lib::stocks::Market;
    ///
    /// let text = "date,ticker,close\n2024-01-02,ACME,101.25\n2024-01-02,BOLT,48.1\n2024-01-03,ACME,102\n";
    /// let market = Market::read_csv(text.as_bytes())?;
    /// assert_eq!(market.tickers(), ["ACME", "BOLT"]);
    /// assert_eq!(market.get("ACME").unwrap().prices, [101.25, 102.0]);
    /// assert_eq!(market.get("ACME").unwrap().dates, ["2024-01-02", "2024-01-03"]);
    /// # Ok::<(), course_lib::stocks::LoadError>(())
    /// ```
    pub fn read_csv(reader: impl Read) -> Result<Market, LoadError> {
        let mut csv = ::csv::ReaderBuilder::new()
            .flexible(true)
            .trim(::csv::Trim::All)
            .from_reader(reader);
        let header: Vec<String> = csv.headers()?.iter().map(str::to_string).collect();
        let mut positions = [0; 3];
        for (position, column) in positions.iter_mut().zip(COLUMNS) {
            *position = header
                .iter()
                .position(|name| name.eq_ignore_ascii_case(column))
                .ok_or_else(|| LoadError::MissingColumn {
                    column,
                    header: header.clone(),
                })?;
        }

        let mut series: Vec<PriceSeries> = Vec::new();
        let mut index_of: HashMap<String, usize> = HashMap::new();
        let mut record = ::csv::StringRecord::new();
        while csv.read_record(&mut record)? {
            let line = record.position().map_or(0, ::csv::Position::line);
            let field = |i: usize| match record.get(positions[i]) {
                Some(value) if !value.is_empty() => Ok(value),
                _ => Err(LoadError::MissingValue {
                    line,
                    column: COLUMNS[i],
                }),
            };
            let (date, ticker, close) = (field(0)?, field(1)?, field(2)?);
            let price = match close.parse::<f64>() {
                Ok(price) if price.is_finite() => price,
                _ => {
                    return Err(LoadError::BadNumber {
                        line,
                        text: close.to_string(),
                    });
                }
            };
            if price <= 0.0 {
                return Err(LoadError::NotPositive { line, price });
            }
            let index = *index_of.entry(ticker.to_string()).or_insert_with(|| {
                series.push(PriceSeries::new(ticker, Vec::new()));
                series.len() - 1
            });
            let entry = &mut series[index];
            if let Some(previous) = entry.dates.last()
                && compare_dates(date, previous) != Ordering::Greater
            {
                return Err(LoadError::OutOfOrder {
                    line,
                    ticker: ticker.to_string(),
                    date: date.to_string(),
                    previous: previous.clone(),
                });
            }
            entry.dates.push(date.to_string());
            entry.prices.push(price);
        }
        if series.is_empty() {
            return Err(LoadError::NoRows);
        }
        Ok(Market::new(series))
    }

    /// Reads prices from a CSV file in long format (see [`Market::read_csv`]).
    ///
    /// ```
    /// use course_lib::stocks::{LoadError, Market};
    ///
    /// let error = Market::load_csv("no/such/prices.csv").unwrap_err();
    /// assert!(matches!(error, LoadError::Io { .. }));
    /// assert!(error.to_string().starts_with("cannot read no/such/prices.csv"));
    /// ```
    pub fn load_csv(path: impl AsRef<Path>) -> Result<Market, LoadError> {
        let path = path.as_ref();
        let with_path = |error| LoadError::Io {
            path: Some(path.to_path_buf()),
            error,
        };
        let file = File::open(path).map_err(with_path)?;
        Market::read_csv(io::BufReader::new(file)).map_err(|error| match error {
            LoadError::Io { path: None, error } => with_path(error),
            other => other,
        })
    }

    /// Writes every series in long CSV format, ticker after ticker, so that
    /// [`Market::read_csv`] reads back exactly the same market. Series
    /// without dates get their day numbers (0, 1, 2, ...) as dates, and read
    /// back with those dates.
    ///
    /// Prices are written with the shortest digits that read back to the
    /// same `f64`, so nothing is lost on the way.
    ///
    /// ```
    /// use course_lib::stocks::Market;
    ///
    /// let market = Market::generate(3, 50, 9);
    /// let mut bytes = Vec::new();
    /// market.write_csv(&mut bytes)?;
    /// assert!(bytes.starts_with(b"date,ticker,close\n2024-01-01,ACME,"));
    /// assert_eq!(Market::read_csv(&bytes[..]).unwrap(), market);
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn write_csv(&self, writer: impl Write) -> io::Result<()> {
        let mut csv = ::csv::Writer::from_writer(writer);
        csv.write_record(COLUMNS)?;
        for series in self {
            for (day, price) in series.prices.iter().enumerate() {
                let date = match series.dates.get(day) {
                    Some(date) => date.clone(),
                    None => day.to_string(),
                };
                csv.write_record([date.as_str(), series.ticker.as_str(), &price.to_string()])?;
            }
        }
        csv.flush()
    }

    /// Writes the market to a CSV file (see [`Market::write_csv`]).
    ///
    /// ```
    /// use course_lib::stocks::Market;
    ///
    /// let path = std::env::temp_dir().join("course_lib_doc_save_csv.csv");
    /// let market = Market::generate(2, 30, 1);
    /// market.save_csv(&path)?;
    /// assert_eq!(Market::load_csv(&path).unwrap(), market);
    /// std::fs::remove_file(&path)?;
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn save_csv(&self, path: impl AsRef<Path>) -> io::Result<()> {
        let file = File::create(path)?;
        let mut writer = io::BufWriter::new(file);
        self.write_csv(&mut writer)?;
        writer.flush()
    }
}
