//! Runs the stages scenario → territory → matrix → coverage → plan, with progress
