//! The verdict on an image for a host: runs, runs-emulated or wont-run, with evidence.
