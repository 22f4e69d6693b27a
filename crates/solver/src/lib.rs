//! Tour optimiser and the independent plan checker
