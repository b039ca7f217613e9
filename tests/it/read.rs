//! Reading the samples: every field against the seed truth, in every format and layout.
