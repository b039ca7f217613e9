//! The cells of a form: their formats (labels, texts, amounts, rates, scores; inputs shaded
//! and unlocked, formulas greyed), and one way to put a value over a merged range.

use std::collections::HashMap;

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use rust_xlsxwriter::{
    Color, DataValidation, Format, FormatAlign, FormatBorder, Formula, Worksheet, XlsxError,
};

use super::layout::SelfEvalLayout;
use crate::cell::CellRef;
use crate::write::layout::{Font, Span};

pub(super) type R<T> = std::result::Result<T, XlsxError>;

/// The fill of the cells to fill in (the template's pale green).
const INPUT_FILL: Color = Color::RGB(0xE2EFDA);
/// The fill of the cells computed by a formula (a pale grey).
const FORMULA_FILL: Color = Color::RGB(0xF2F2F2);

/// What a cell holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Kind {
    Label,
    Text,
    TextLeft,
    Money,
    Rate,
    Score,
}

/// A value to put in a cell.
pub(super) enum Value<'a> {
    Text(&'a str),
    Number(Option<Decimal>),
    /// A formula and its cached result.
    Formula(String, String),
}

/// The cached result of a formula: the number, or empty.
pub(super) fn cached(d: Option<Decimal>) -> String {
    d.map(|d| d.normalize().to_string()).unwrap_or_default()
}

/// The first cell of `span` on `row`.
pub(super) fn at(row: u32, span: Span) -> CellRef {
    CellRef::new(row, u32::from(span.first))
}

fn font(f: Format, font: &Font) -> Format {
    let f = f.set_font_name(font.name.as_str()).set_font_size(font.size);
    if font.bold {
        f.set_bold()
    } else {
        f
    }
}

/// A sheet being written: the worksheet, its formats, its last column.
pub(super) struct Canvas<'a> {
    pub ws: &'a mut Worksheet,
    pub last: u16,
    label: Font,
    text: Font,
    cache: HashMap<(Kind, bool), Format>,
    units: HashMap<String, Format>,
}

impl<'a> Canvas<'a> {
    pub(super) fn new(ws: &'a mut Worksheet, layout: &SelfEvalLayout) -> Canvas<'a> {
        Canvas {
            ws,
            last: layout.last_col(),
            label: layout.fonts.label.clone(),
            text: layout.fonts.text.clone(),
            cache: HashMap::new(),
            units: HashMap::new(),
        }
    }

    /// A centred line without borders (the title, the year).
    pub(super) fn line(&mut self, row: u32, span: Span, text: &str, f: &Font) -> R<()> {
        let fmt = font(Format::new(), f).set_align(FormatAlign::Center);
        self.put_with(row, row, span, Value::Text(text), &fmt)
    }

    fn base(&self, kind: Kind) -> Format {
        let f = Format::new()
            .set_border(FormatBorder::Thin)
            .set_text_wrap()
            .set_align(FormatAlign::VerticalCenter);
        match kind {
            Kind::Label => font(f, &self.label).set_align(FormatAlign::Center),
            Kind::Text => font(f, &self.text).set_align(FormatAlign::Center),
            Kind::TextLeft => font(f, &self.text).set_align(FormatAlign::Left),
            Kind::Money => font(f, &self.text)
                .set_align(FormatAlign::Right)
                .set_num_format("#,##0.00"),
            Kind::Rate => font(f, &self.text)
                .set_align(FormatAlign::Right)
                .set_num_format("0.00%"),
            Kind::Score => font(f, &self.text)
                .set_align(FormatAlign::Right)
                .set_num_format("0.##"),
        }
    }

    /// The format of a cell: `input` cells unlocked and shaded, computed ones greyed.
    fn format(&mut self, kind: Kind, input: bool) -> Format {
        if let Some(f) = self.cache.get(&(kind, input)) {
            return f.clone();
        }
        let f = self.base(kind);
        let f = if input {
            f.set_unlocked().set_background_color(INPUT_FILL)
        } else if matches!(kind, Kind::Rate | Kind::Score) {
            f.set_background_color(FORMULA_FILL)
        } else {
            f
        };
        self.cache.insert((kind, input), f.clone());
        f
    }

    /// The format of an actual typed as a number in `unit`, shown after it (`96` → `96%`).
    pub(super) fn actual_format(&mut self, unit: Option<&str>) -> Format {
        let unit = unit.unwrap_or("").replace('"', "");
        if let Some(f) = self.units.get(&unit) {
            return f.clone();
        }
        let num = if unit.is_empty() {
            "General".to_string()
        } else {
            format!("General\"{unit}\"")
        };
        let f = self
            .base(Kind::Text)
            .set_num_format(num)
            .set_unlocked()
            .set_background_color(INPUT_FILL);
        self.units.insert(unit, f.clone());
        f
    }

    /// Puts `value` over rows `r1..=r2` and the columns of `span`, merged when more than one
    /// cell, in the format of `kind` (`input`: unlocked and shaded).
    pub(super) fn put(
        &mut self,
        r1: u32,
        r2: u32,
        span: Span,
        value: Value,
        kind: Kind,
        input: bool,
    ) -> R<()> {
        let fmt = self.format(kind, input);
        self.put_with(r1, r2, span, value, &fmt)
    }

    /// [`Canvas::put`] on one row.
    pub(super) fn put1(
        &mut self,
        row: u32,
        span: Span,
        value: Value,
        kind: Kind,
        input: bool,
    ) -> R<()> {
        self.put(row, row, span, value, kind, input)
    }

    /// [`Canvas::put`] in a given format.
    pub(super) fn put_with(
        &mut self,
        r1: u32,
        r2: u32,
        span: Span,
        value: Value,
        fmt: &Format,
    ) -> R<()> {
        let (c1, c2) = (span.first, span.last_in(self.last));
        let ws = &mut *self.ws;
        if r1 != r2 || c1 != c2 {
            ws.merge_range(r1, c1, r2, c2, "", fmt)?;
        }
        match value {
            Value::Text("") | Value::Number(None) => {
                ws.write_blank(r1, c1, fmt)?;
            }
            Value::Text(t) => {
                ws.write_string_with_format(r1, c1, t, fmt)?;
            }
            Value::Number(Some(d)) => {
                ws.write_number_with_format(r1, c1, d.to_f64().unwrap_or(0.0), fmt)?;
            }
            Value::Formula(text, result) => {
                ws.write_formula_with_format(r1, c1, Formula::new(text).set_result(result), fmt)?;
            }
        }
        Ok(())
    }

    /// Adds a data validation to the first cell of `span` on `row`.
    pub(super) fn validate(&mut self, row: u32, span: Span, v: &DataValidation) -> R<()> {
        self.ws
            .add_data_validation(row, span.first, row, span.first, v)?;
        Ok(())
    }
}
