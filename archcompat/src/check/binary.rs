//! Problems that would make exec of one classified file fail on a given host.
