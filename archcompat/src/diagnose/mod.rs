//! Diagnosis of pasted text (runtime errors, build logs, kubectl/ECS/Lambda output): ranked
//! causes with cause codes, the platforms named, and the evidence lines.
