//! `%lsmagic`: the magics, in IPython's layout.

use super::registry::{Form, Magic};
use super::{Expansion, MAGICS};

/// `%lsmagic`.
pub const MAGIC: Magic = Magic {
    name: "lsmagic",
    help: "List the magics this kernel knows.",
    options: &[],
    line: Some(Form {
        args: "",
        value: false,
        expand: |_| Ok(Expansion::print(listing())),
    }),
    cell: None,
};

/// The line magics, then the cell magics, in the registry's order.
fn listing() -> String {
    let names = |cell: bool, prefix: &str| {
        MAGICS
            .iter()
            .filter(|magic| magic.form(cell).is_some())
            .map(|magic| format!("{prefix}{}", magic.name))
            .collect::<Vec<_>>()
            .join("  ")
    };
    format!(
        "Available line magics:\n{}\n\nAvailable cell magics:\n{}\n\n\
         Automagic is OFF, % prefix IS needed for line magics.\n",
        names(false, "%"),
        names(true, "%%")
    )
}
