//! How a source cell aligns its text, as the file records it: copied by a form written in its
//! own geometry.
//!
//! Only xlsx records reach us: calamine 0.38 gives a cell's style (`Alignment`: horizontal,
//! vertical, wrap) for xlsx alone; its xls, xlsb and ods readers expose no styles, so cells
//! of those files keep the writer's alignment by role.

/// Horizontal alignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Horizontal {
    /// Excel's default: text left, numbers right.
    General,
    /// Left.
    Left,
    /// Centred.
    Center,
    /// Centred across the selection.
    CenterAcross,
    /// Right.
    Right,
    /// Justified.
    Justify,
    /// Distributed.
    Distributed,
    /// Repeated to fill the cell.
    Fill,
}

/// Vertical alignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Vertical {
    /// Top.
    Top,
    /// Centred.
    Center,
    /// Bottom (Excel's default).
    Bottom,
    /// Justified.
    Justify,
    /// Distributed.
    Distributed,
}

/// A cell's alignment as its file records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Align {
    /// Horizontal alignment.
    pub horizontal: Horizontal,
    /// Vertical alignment.
    pub vertical: Vertical,
    /// Whether the text wraps.
    pub wrap: bool,
    /// The indent level (0 when none): a budget system's outline may tell its levels so.
    pub indent: u8,
}

impl Align {
    /// The alignment of a calamine style, when the style records one.
    pub(crate) fn of(style: &calamine::Style) -> Option<Align> {
        use calamine::{HorizontalAlignment as H, VerticalAlignment as V};
        let a = style.alignment.as_ref()?;
        let horizontal = match a.horizontal {
            H::Left => Horizontal::Left,
            H::Center => Horizontal::Center,
            H::CenterContinuous => Horizontal::CenterAcross,
            H::Right => Horizontal::Right,
            H::Justify => Horizontal::Justify,
            H::Distributed => Horizontal::Distributed,
            H::Fill => Horizontal::Fill,
            _ => Horizontal::General,
        };
        let vertical = match a.vertical {
            V::Top => Vertical::Top,
            V::Center => Vertical::Center,
            V::Justify => Vertical::Justify,
            V::Distributed => Vertical::Distributed,
            _ => Vertical::Bottom,
        };
        Some(Align {
            horizontal,
            vertical,
            wrap: a.wrap_text,
            indent: a.indent.unwrap_or(0),
        })
    }
}
